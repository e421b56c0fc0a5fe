using Survey.Api.Operations.Ingesting;
using Survey.Domain.Operations;

namespace Survey.Tests.Api.Operations;

/// <summary>A customer's consents are a history of decisions per channel: restating one does not add an entry.</summary>
public class ConsentHistoryTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 10, 0, 0, TimeSpan.FromHours(8));

    private static Customer Customer(params Consent[] consents) => new("C-1", "王伟", null, "+8613812345678", null, consents, "zh-CN", null);

    [Fact]
    public void A_returning_customer_restating_the_same_consent_on_every_visit_keeps_one_entry_from_the_first_time()
    {
        var customer = Customer(new Consent(Channel.Sms, true, T0, "counter"));
        for (var visit = 1; visit <= 50; visit++)
            customer = EventValidation.Merge(customer, Customer(new Consent(Channel.Sms, true, T0.AddDays(visit), "csv-import")));
        customer.Consents.ShouldBe([new Consent(Channel.Sms, true, T0, "counter")]);
    }

    [Fact]
    public void Changes_of_mind_are_kept_in_order_per_channel_and_the_latest_stands_even_when_sent_out_of_order()
    {
        var customer = Customer(new Consent(Channel.Sms, true, T0, "counter"), new Consent(Channel.Email, true, T0, "counter"));
        customer = EventValidation.Merge(customer, Customer(new Consent(Channel.Sms, false, T0.AddDays(10), "call-centre")));
        customer = EventValidation.Merge(customer, Customer(new Consent(Channel.Sms, true, T0.AddDays(5), "csv-import"))); // late, restates day 0
        customer = EventValidation.Merge(customer, Customer(new Consent(Channel.Email, true, T0.AddDays(12), "csv-import")));
        customer.Consents.Select(c => $"{c.Channel} {c.Given} {(c.At - T0).Days}").ShouldBe(["Sms True 0", "Email True 0", "Sms False 10"]);
        customer.HasConsent(Channel.Sms).ShouldBeFalse();
        customer.HasConsent(Channel.Email).ShouldBeTrue();
    }
}
