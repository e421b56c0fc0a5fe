using System.Net;
using System.Text.Json.Nodes;
using Survey.Api.Privacy;
using Survey.Api.Security;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Privacy;

/// <summary>Looking customers up by contact point, access requests, and what each role sees of contact data.</summary>
public class AccessAndMaskingTests(PrivacyApiFixture api) : IClassFixture<PrivacyApiFixture>
{
    private readonly HttpClient _client = api.CreateClient();

    private async Task Customer(string id, string name, string email, string mobile)
    {
        var key = (await (await _client.Send(HttpMethod.Post, "/api/api-keys", new CreateApiKeyRequest("dms"))).Read<NewApiKey>(HttpStatusCode.Created)).Key;
        (await api.Ingest(_client, key, $$"""
            { "externalId": "EV-{{id}}", "type": "order.paid", "occurredAt": "{{api.Time.GetUtcNow().AddHours(-1):O}}",
              "customer": { "externalId": "{{id}}", "name": "{{name}}", "email": "{{email}}", "mobile": "{{mobile}}", "weChatOpenId": "oOpen{{id}}" },
              "attributes": { "amount": "1280.00" } }
            """)).Accepted.ShouldBe(1);
    }

    [Fact]
    public async Task Administrators_see_contact_points_analysts_and_dealer_staff_see_them_masked()
    {
        await Customer("C-M1", "Li Na", "lina@example.com", "13812345678");
        var admin = await (await api.ClientAs("administrator").GetAsync("/api/privacy/customers/C-M1")).Read<CustomerView>();
        admin.Masked.ShouldBeFalse();
        (admin.Customer.Name, admin.Customer.Email, admin.Customer.Mobile, admin.Customer.WeChatOpenId).ShouldBe(("Li Na", "lina@example.com", "+8613812345678", "oOpenC-M1"));

        // dealer staff never search the tenant's customers; they see contact points (masked) only where their work needs them
        (await api.ClientAs("dealer_staff").GetAsync("/api/privacy/customers/C-M1")).StatusCode.ShouldBe(System.Net.HttpStatusCode.Forbidden);
        foreach (var role in new[] { "analyst" })
        {
            var text = await (await api.ClientAs(role).GetAsync("/api/privacy/customers/C-M1")).Content.ReadAsStringAsync();
            var view = System.Text.Json.JsonSerializer.Deserialize<CustomerView>(text, Http.Json)!;
            view.Masked.ShouldBeTrue(role);
            (view.Customer.Email, view.Customer.Mobile, view.Customer.Name, view.Customer.WeChatOpenId).ShouldBe(("l***@example.com", "138****5678", "***", "***"), role);
            text.ShouldNotContain("lina@");
            text.ShouldNotContain("12345678");
        }
        // the look-up by contact point masks the same way
        var found = await (await api.ClientAs("analyst").GetAsync("/api/privacy/customers?phone=138 1234 5678")).Content.ReadAsStringAsync();
        found.ShouldContain("138****5678");
        found.ShouldNotContain("lina@");
    }

    [Fact]
    public async Task Customers_are_found_by_email_or_phone_through_the_blind_index()
    {
        await Customer("C-F1", "Zhang San", "zhang.san@example.com", "13900001111");
        await Customer("C-F2", "Zhang Si", "zhang.si@example.com", "13900002222");
        var byEmail = await (await _client.GetAsync("/api/privacy/customers?email=ZHANG.SAN@example.com")).Read<List<CustomerView>>();
        byEmail.ShouldHaveSingleItem().ExternalId.ShouldBe("C-F1");
        var byPhone = await (await _client.GetAsync("/api/privacy/customers?phone=%2B86 139 0000 2222")).Read<List<CustomerView>>();
        byPhone.ShouldHaveSingleItem().ExternalId.ShouldBe("C-F2");
        (await (await _client.GetAsync("/api/privacy/customers?email=nobody@example.com")).Read<List<CustomerView>>()).ShouldBeEmpty();
        (await _client.GetAsync("/api/privacy/customers")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await _client.GetAsync("/api/privacy/customers?phone=abc")).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await api.RawScan("zhang.san@", "13900001111")).ShouldBeEmpty();
    }

    [Fact]
    public async Task An_access_request_exports_the_customer_their_events_and_invitations_as_json()
    {
        await Customer("C-D1", "Wang Wei", "wang.wei@example.com", "13712345678");
        var export = JsonNode.Parse(await (await _client.GetAsync("/api/privacy/customers/C-D1/export")).Content.ReadAsStringAsync())!;
        export["customerExternalId"]!.GetValue<string>().ShouldBe("C-D1");
        export["customer"]!["name"]!.GetValue<string>().ShouldBe("Wang Wei");
        export["customer"]!["email"]!.GetValue<string>().ShouldBe("wang.wei@example.com");
        export["customer"]!["mobile"]!.GetValue<string>().ShouldBe("+8613712345678");
        export["operationalEvents"]!.AsArray().ShouldHaveSingleItem()!["attributes"]!["amount"]!.GetValue<string>().ShouldBe("1280.00");
        export["erasedAt"].ShouldBeNull();
        (await _client.GetAsync("/api/privacy/customers/C-NOBODY/export")).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }
}
