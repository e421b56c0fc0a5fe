using System.Net;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Survey.Api.Security;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Security;

/// <summary>The development sign-in and what the API checks in a bearer token: signature, issuer, audience, expiry.</summary>
public class SignInTests(SecurityFixture api) : IClassFixture<SecurityFixture>
{
    /// <summary>A token like the development sign-in's, to be varied by a test.</summary>
    public static SecurityTokenDescriptor Descriptor(ApiFixture api, Dictionary<string, object> claims, string? key = null)
    {
        var now = api.Time.GetUtcNow().UtcDateTime;
        return new SecurityTokenDescriptor
        {
            Issuer = SignIn.DevIssuer, Audience = "survey-api", Claims = claims, IssuedAt = now, NotBefore = now, Expires = now.AddHours(1),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Convert.FromBase64String(key ?? ApiFixture.SigningKey)), SecurityAlgorithms.HmacSha256),
        };
    }

    private static Dictionary<string, object> Admin => new() { ["sub"] = "mallory", ["role"] = Roles.Administrator, ["tenant"] = "default" };

    private HttpClient With(string token)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    private async Task<string> SignInAs(object request) =>
        (await (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", request)).Read<SignedIn>()).AccessToken;

    [Fact]
    public async Task The_development_sign_in_issues_a_token_the_api_accepts_for_that_role_only()
    {
        var token = await SignInAs(new { user = "wang.fang", role = "marketer", tenant = "default" });
        var marketer = With(token);
        (await marketer.GetAsync("/api/questionnaires")).StatusCode.ShouldBe(HttpStatusCode.OK);
        await (await marketer.GetAsync("/api/api-keys")).Problem(HttpStatusCode.Forbidden);

        var payload = System.Text.Json.Nodes.JsonNode.Parse(Base64UrlEncoder.Decode(token.Split('.')[1]))!;
        payload["tenant"]!.ToString().ShouldBe("default");
        payload["role"]!.ToString().ShouldBe("marketer");
        payload["aud"]!.ToString().ShouldBe("survey-api");
        payload["iss"]!.ToString().ShouldBe(SignIn.DevIssuer);
    }

    [Fact]
    public async Task Sign_in_requests_are_checked()
    {
        var problem = await (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", new { user = "", role = "owner", tenant = "a b" })).Problem(HttpStatusCode.BadRequest);
        problem.ErrorPaths().ShouldBe(["user", "role", "tenant"], ignoreOrder: true);
        (await (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", new { user = "li", role = "regional_manager" })).Problem(HttpStatusCode.BadRequest))
            .ErrorPaths().ShouldBe(["regions"]);
        (await (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", new { user = "li", role = "dealer_staff" })).Problem(HttpStatusCode.BadRequest))
            .ErrorPaths().ShouldBe(["dealer"]);
    }

    [Fact]
    public async Task An_expired_token_is_refused()
    {
        var token = await SignInAs(new { user = "zhao", role = "administrator" });
        (await With(token).GetAsync("/api/api-keys")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var lifetime = api.Services.GetRequiredService<IOptions<SecurityOptions>>().Value.DevTokenLifetime;
        api.Time.Advance(lifetime + TimeSpan.FromMinutes(2)); // past the lifetime and the allowed clock skew
        var response = await With(token).GetAsync("/api/api-keys");
        await response.Problem(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.ToString().ShouldContain("Bearer");
        (await With(await SignInAs(new { user = "zhao", role = "administrator" })).GetAsync("/api/api-keys")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Tokens_with_a_wrong_signature_audience_issuer_or_algorithm_are_refused()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        (await With(handler.CreateToken(Descriptor(api, Admin))).GetAsync("/api/api-keys")).StatusCode.ShouldBe(HttpStatusCode.OK); // the control

        var otherKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("an-attacker's-own-key-of-32-bytes-or-more!!"));
        var wrongKey = handler.CreateToken(Descriptor(api, Admin, otherKey));
        var audience = Descriptor(api, Admin); audience.Audience = "another-api";
        var issuer = Descriptor(api, Admin); issuer.Issuer = "https://evil.example";
        var noExpiry = Descriptor(api, Admin); noExpiry.Expires = null;
        var unsigned = new JsonWebTokenHandler().CreateToken(System.Text.Json.JsonSerializer.Serialize(new
        {
            sub = "mallory", role = "administrator", tenant = "default", iss = SignIn.DevIssuer, aud = "survey-api",
            exp = api.Time.GetUtcNow().AddHours(1).ToUnixTimeSeconds(),
        }));
        // a real token whose payload is swapped for one with more rights, keeping the signature
        var real = await SignInAs(new { user = "staff", role = "dealer_staff", dealer = "SH-01" });
        var parts = real.Split('.');
        var forgedPayload = Base64UrlEncoder.Encode(Base64UrlEncoder.Decode(parts[1]).Replace("dealer_staff", "administrator"));
        var tampered = $"{parts[0]}.{forgedPayload}.{parts[2]}";

        foreach (var (name, token) in new[]
                 {
                     ("wrong key", wrongKey), ("wrong audience", handler.CreateToken(audience)), ("wrong issuer", handler.CreateToken(issuer)),
                     ("no expiry", handler.CreateToken(noExpiry)), ("alg none", unsigned), ("tampered payload", tampered), ("garbage", "not.a.token"),
                 })
            (await With(token).GetAsync("/api/api-keys")).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, name);
    }
}

/// <summary>A server with its own database and no authority configured: no development sign-in unless asked for.</summary>
public sealed class ServerWithoutAuthorityFixture : ApiFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => new Dictionary<string, string> { ["Security:DevSignIn"] = "", ["Storage:RunJobServer"] = "false" };
}

public class DevSignInOffByDefaultTests(ServerWithoutAuthorityFixture api) : IClassFixture<ServerWithoutAuthorityFixture>
{
    [Fact]
    public async Task Without_the_embedded_database_the_development_sign_in_is_off_and_accepts_nothing()
    {
        (await api.Anonymous().Send(HttpMethod.Post, "/api/dev/sign-in", new { user = "x", role = "administrator" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // a token signed with what would be the development key is refused too
        await (await api.CreateClient().GetAsync("/api/questionnaires")).Problem(HttpStatusCode.Unauthorized);
        (await api.CreateClient().GetAsync("/health")).StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized);
    }
}
