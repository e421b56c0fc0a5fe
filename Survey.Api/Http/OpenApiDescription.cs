using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Survey.Api.Http;

public static class OpenApiDescription
{
    public static Task Describe(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Survey engine API";
        document.Info.Description =
            "Customer-experience engine: questionnaires, triggered invitations, responses joined to operational data. " +
            "Errors are RFC 7807 problem details; validation errors list a path per field. Writes accept If-Match with the ETag last read (412 when stale).";
        return Task.CompletedTask;
    }
}
