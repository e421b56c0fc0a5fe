using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Survey.Api.Http;

/// <summary>An example request body shown in the OpenAPI document and the /docs reference.</summary>
public sealed record RequestExample(string Json);

public static class OpenApiDescription
{
    public static TBuilder WithRequestExample<TBuilder>(this TBuilder builder, string json) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequestExample(json));

    public static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Survey engine API";
        document.Info.Description =
            "Customer-experience engine: questionnaires, triggered invitations, responses joined to operational data. " +
            "Errors are RFC 7807 problem details; validation errors list a path per field. " +
            "Writes accept If-Match with the ETag last read and answer 412 when it is stale.";
        return Task.CompletedTask;
    }

    public static Task AddExamples(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var example = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestExample>().FirstOrDefault();
        if (example is not null && operation.RequestBody?.Content is { } content)
            foreach (var media in content.Values)
                media.Example = JsonNode.Parse(example.Json);
        return Task.CompletedTask;
    }
}
