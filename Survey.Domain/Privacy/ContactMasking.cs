namespace Survey.Domain.Privacy;

/// <summary>
/// What roles without access to personal data see of a contact point: <c>138****5678</c>, <c>a***@example.com</c>. The one
/// masking function for every place that returns contact data.
/// </summary>
public static class ContactMasking
{
    public static string? Phone(string? phone)
    {
        if (string.IsNullOrEmpty(phone)) return phone;
        var national = phone.StartsWith("+86", StringComparison.Ordinal) ? phone[3..] : phone;
        var digits = new string(national.Where(char.IsAsciiDigit).ToArray());
        if (digits.Length < 8) return "****";
        var country = national.Length == phone.Length && phone.StartsWith('+') ? "+" : "";
        return country + digits[..3] + "****" + digits[^4..];
    }

    public static string? Email(string? email)
    {
        if (string.IsNullOrEmpty(email)) return email;
        var at = email.LastIndexOf('@');
        if (at <= 0) return "***";
        return email[0] + "***" + email[at..];
    }

    /// <summary>Names and open ids show only that they exist.</summary>
    public static string? Other(string? value) => string.IsNullOrEmpty(value) ? value : "***";
}
