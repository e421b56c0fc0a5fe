using System.Security.Claims;
using Survey.Domain.Operations;
using Survey.Domain.Privacy;

namespace Survey.Api.Privacy;

/// <summary>
/// Which principals see contact data masked: analysts and dealer staff. The role comes from the principal's <c>role</c> claim
/// (or the standard role claim) until the sign-in feature's policies and org scopes arrive; this is the one place to plug them in.
/// </summary>
public static class PrivacyRoles
{
    private static readonly string[] Masked = ["analyst", "dealerstaff"];

    public static IEnumerable<string> Roles(ClaimsPrincipal user) =>
        user.FindAll("role").Concat(user.FindAll(ClaimTypes.Role)).Select(c => Normalise(c.Value));

    /// <summary>True when every role of the principal is one that sees masked contact data.</summary>
    public static bool SeesMaskedContacts(ClaimsPrincipal user)
    {
        var roles = Roles(user).ToList();
        return roles.Count > 0 && roles.All(r => Masked.Contains(r));
    }

    private static string Normalise(string role) => new(role.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    /// <summary>The customer as this principal may see it.</summary>
    public static Customer ForViewer(ClaimsPrincipal user, Customer customer) => SeesMaskedContacts(user)
        ? customer with
        {
            Name = ContactMasking.Other(customer.Name),
            Email = ContactMasking.Email(customer.Email),
            Mobile = ContactMasking.Phone(customer.Mobile),
            WeChatOpenId = ContactMasking.Other(customer.WeChatOpenId),
        }
        : customer;
}
