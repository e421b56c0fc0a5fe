using System.Text.Json;
using JasperFx;
using JasperFx.Events;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Survey.Domain.Common;

namespace Survey.Api.Http;

/// <summary>
/// The one place where failures become RFC 7807 problem details: bad input 400 (with a path per field),
/// unknown ids 404, broken rules 409, stale versions 412, oversized bodies 413, wrong content type 415.
/// </summary>
public static class Problems
{
    public const string TypeBase = "https://survey-engine.dev/problems/";

    public static IServiceCollection AddProblems(this IServiceCollection services)
    {
        services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions.TryAdd("traceId", c.HttpContext.TraceIdentifier);
        });
        services.AddExceptionHandler<DomainExceptionHandler>();
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return services;
    }

    public static ValidationProblemDetails Validation(IEnumerable<InputProblem> problems, string? detail = null)
    {
        var list = problems.ToList();
        var details = new ValidationProblemDetails(list.GroupBy(p => p.Path).ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()))
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypeBase + "validation",
            Title = "The request is not valid.",
            Detail = detail ?? (list.Count == 1 ? list[0].Message : $"{list.Count} problems were found; each is listed under errors by its path."),
        };
        details.Extensions["problems"] = list.Select(p => new { path = p.Path, code = p.Code, message = p.Message }).ToList();
        return details;
    }

    public static ProblemDetails Of(int status, string type, string title, string? detail = null) =>
        new() { Status = status, Type = TypeBase + type, Title = title, Detail = detail };
}

/// <summary>A provider this request needs (WeChat's sign-in, say) is busy or unreachable: 503 with Retry-After; nothing was changed.</summary>
public sealed class ProviderUnavailableException(string message, TimeSpan retryAfter) : Exception(message)
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

internal sealed class DomainExceptionHandler(IProblemDetailsService problemDetails, ILogger<DomainExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Map(context, exception);
        if (problem is null) return false;
        if (problem.Status >= 500) logger.LogWarning("Answered {Status}: {Error}", problem.Status, exception.GetType().Name);
        context.Response.StatusCode = problem.Status!.Value;
        return await problemDetails.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails? Map(HttpContext context, Exception exception) => exception switch
    {
        InvalidInputException e => Problems.Validation(e.Problems),
        NotFoundException e => Problems.Of(404, "not-found", "Not found.", e.Message),
        ExpiredException e => Problems.Of(410, "expired", e.Message, e.Message),
        InvalidCredentialException e => Problems.Of(401, "invalid-credential", e.Message, e.Message),
        ForbiddenException e => Problems.Of(403, "forbidden", e.Message, e.Message),
        DocumentAlreadyExistsException => Problems.Of(409, "concurrent-change", "Someone else changed the resource at the same time.", "Retry the request."),
        RuleViolationException e => WithCode(Problems.Of(409, e.Code, e.Message, e.Message), e.Code),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException when context.Request.Headers.IfMatch.Count > 0 =>
            Problems.Of(412, "stale-version", "The resource changed since you read it.", "Reload it, reapply your change and send it with the new ETag in If-Match."),
        ConcurrencyException or EventStreamUnexpectedMaxEventIdException =>
            Problems.Of(409, "concurrent-change", "Someone else changed the resource at the same time.", "Retry the request."),
        ExistingStreamIdCollisionException => Problems.Of(409, "already-exists", "A resource with this id already exists."),
        BadHttpRequestException e => BadRequest(e),
        JsonException e => BodyProblem(e),
        _ when IsDatabaseUnavailable(exception) => Unavailable(context),
        ProviderUnavailableException e => ProviderUnavailable(context, e),
        _ => null,
    };

    /// <summary>PostgreSQL unreachable (restarting, failing over): nothing was committed, so the client should retry.</summary>
    private static bool IsDatabaseUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
            if (e is Npgsql.NpgsqlException { IsTransient: true } or System.Net.Sockets.SocketException
                || e is Npgsql.PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "08006" or "08001" or "08003" })
                return true;
        return false;
    }

    private static ProblemDetails Unavailable(HttpContext context)
    {
        context.Response.Headers.RetryAfter = "2";
        return Problems.Of(503, "unavailable", "The service is briefly unavailable.", "The request may not have been saved; send it again in a moment (a repeated request never saves twice).");
    }

    private static ProblemDetails ProviderUnavailable(HttpContext context, ProviderUnavailableException e)
    {
        context.Response.Headers.RetryAfter = ((int)Math.Ceiling(e.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return Problems.Of(503, "provider-unavailable", e.Message, e.Message);
    }

    private static ProblemDetails WithCode(ProblemDetails problem, string code)
    {
        problem.Extensions["code"] = code;
        return problem;
    }

    private static ProblemDetails BadRequest(BadHttpRequestException e)
    {
        if (e.InnerException is JsonException json) return BodyProblem(json);
        return e.StatusCode switch
        {
            StatusCodes.Status413PayloadTooLarge => Problems.Of(413, "too-large", "The request body is too large.", e.Message),
            StatusCodes.Status415UnsupportedMediaType => Problems.Of(415, "unsupported-media-type", "Send the body as application/json.", e.Message),
            _ => Problems.Of(e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, "bad-request", "The request could not be read.", e.Message),
        };
    }

    private static ProblemDetails BodyProblem(JsonException e)
    {
        // JSON paths ("$.questions[0].type") are written like the domain's field paths ("questions[0].type").
        var path = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "$" : e.Path.StartsWith("$.") ? e.Path[2..] : e.Path;
        var message = e.Message.Split(" Path:", 2)[0];
        return Problems.Validation([new InputProblem(path, "malformed-json", $"The body is not valid JSON for this request: {message}")],
            "The body could not be read as JSON of the expected shape.");
    }
}
