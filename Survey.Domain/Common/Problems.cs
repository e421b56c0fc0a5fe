namespace Survey.Domain.Common;

/// <summary>One thing wrong with a request, addressed by a field path such as <c>questions[2].choices</c>.</summary>
public sealed record InputProblem(string Path, string Code, string Message);

/// <summary>The input is malformed or inconsistent; every problem found is listed (HTTP 400).</summary>
public sealed class InvalidInputException(IReadOnlyList<InputProblem> problems)
    : Exception(problems.Count == 1 ? problems[0].Message : $"{problems.Count} problems in the request.")
{
    public IReadOnlyList<InputProblem> Problems { get; } = problems;

    public static void ThrowIfAny(IReadOnlyList<InputProblem> problems)
    {
        if (problems.Count > 0) throw new InvalidInputException(problems);
    }
}

/// <summary>The request is well formed but the current state forbids it, e.g. editing an archived questionnaire (HTTP 409).</summary>
public sealed class RuleViolationException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}

/// <summary>The thing addressed does not exist (HTTP 404).</summary>
public sealed class NotFoundException(string message) : Exception(message);

/// <summary>The thing addressed existed but is no longer available, e.g. an expired invitation (HTTP 410).</summary>
public sealed class ExpiredException(string message) : Exception(message);

/// <summary>A credential (token, key) is forged, tampered with or unreadable (HTTP 401).</summary>
public sealed class InvalidCredentialException(string message) : Exception(message);

/// <summary>The caller may not do this here, e.g. answer a widget survey from a site not registered for it (HTTP 403).</summary>
public sealed class ForbiddenException(string message) : Exception(message);
