using Survey.Domain.Invitations;

namespace Survey.Tests.Domain.Invitations;

public class EmailTemplateTests
{
    private static readonly EmailTemplate Good = new(
        "How was {dealer.name}?",
        "<style>a { color: red }</style><p>Dear {customer.name},</p>{nps.links}<a href=\"{unsubscribe.url}\">Unsubscribe</a>",
        "Dear {customer.name},\n{survey.url}\nUnsubscribe: {unsubscribe.url}");

    [Fact]
    public void A_template_with_the_links_and_the_way_out_is_valid_and_css_braces_are_not_placeholders()
    {
        EmailTemplates.Validate(Good).ShouldBeEmpty();
        EmailTemplates.Placeholders(Good.Html).ShouldBe(["customer.name", "nps.links", "unsubscribe.url"]);
    }

    [Theory]
    [InlineData("html", "<p>{nps.links}</p>", "unsubscribe-required")]
    [InlineData("html", "<p>{unsubscribe.url}</p>", "link-required")]
    [InlineData("text", "{survey.url} {unsubscribe.url} {customer.phone}", "unknown-placeholder")]
    [InlineData("text", "{survey.url} {unsubscribe.url} {password}", "unknown-placeholder")]
    [InlineData("subject", "Open {survey.url}", "placeholder-not-allowed")]
    [InlineData("subject", "two\nlines", "line-break")]
    [InlineData("subject", " ", "required")]
    [InlineData("html", "", "required")]
    public void A_broken_template_is_refused_with_the_field_and_reason(string field, string value, string code)
    {
        var template = field switch
        {
            "subject" => Good with { Subject = value },
            "html" => Good with { Html = value },
            _ => Good with { Text = value },
        };
        EmailTemplates.Validate(template).ShouldContain(p => p.Path == field && p.Code == code);
    }

    [Fact]
    public void Sizes_are_capped_and_event_attributes_are_placeholders()
    {
        EmailTemplates.Validate(Good with { Subject = new string('x', 201) }).ShouldContain(p => p.Code == "too-long");
        EmailTemplates.Validate(Good with { Html = Good.Html + new string('x', EmailTemplates.MaxHtml) }).ShouldContain(p => p.Path == "html" && p.Code == "too-long");
        EmailTemplates.Validate(Good with { Text = Good.Text + " {event.vehicleModel} {region.name} {survey.title} {question} {sender.name}" }).ShouldBeEmpty();
        EmailTemplates.Validate(null).ShouldHaveSingleItem().Code.ShouldBe("required");
    }

    [Fact]
    public void Filling_encodes_values_but_not_the_formatted_parts()
    {
        var filled = EmailTemplates.Fill("<p>{customer.name}</p>{nps.links}{missing.value}", n => n == "customer.name" ? "<b>x</b>" : null,
            v => v.Replace("<", "&lt;").Replace(">", "&gt;"), new Dictionary<string, string> { ["nps.links"] = "<table></table>" });
        filled.ShouldBe("<p>&lt;b&gt;x&lt;/b&gt;</p><table></table>");
    }
}
