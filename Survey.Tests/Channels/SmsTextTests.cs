using Survey.Api.Channels;

namespace Survey.Tests.Channels;

public class SmsTextTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void GSM_7_text_is_160_septets_in_one_segment_and_153_per_segment_after(int length, int segments)
    {
        var text = new string('a', length);
        SmsText.Measure(text).ShouldBe(new SmsMeasure(SmsEncoding.Gsm7, length, segments));
    }

    [Fact]
    public void Extension_characters_take_two_septets_and_are_not_split_across_segments()
    {
        SmsText.Measure(new string('€', 80)).ShouldBe(new SmsMeasure(SmsEncoding.Gsm7, 160, 1));
        SmsText.Measure(new string('€', 81)).ShouldBe(new SmsMeasure(SmsEncoding.Gsm7, 162, 2));
        // 152 septets, then a two-septet character that would straddle the 153rd: it opens segment 2, and 153 'a's then need a third
        SmsText.Segments(new string('a', 152) + "{" + new string('a', 152)).ShouldBe(3);
        SmsText.Segments("Price: 10€ [incl. VAT] ~ {ok} ^ | \\").ShouldBe(1);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Chinese_text_is_UCS_2_with_70_units_in_one_segment_and_67_per_segment_after(int length, int segments)
    {
        SmsText.Measure(new string('好', length)).ShouldBe(new SmsMeasure(SmsEncoding.Ucs2, length, segments));
    }

    [Fact]
    public void One_character_outside_GSM_7_makes_the_whole_body_UCS_2()
    {
        SmsText.Measure(new string('a', 100)).Segments.ShouldBe(1);
        SmsText.Measure(new string('a', 99) + "中").ShouldBe(new SmsMeasure(SmsEncoding.Ucs2, 100, 2));
        SmsText.Measure("Thanks 😀").Encoding.ShouldBe(SmsEncoding.Ucs2);
    }

    [Fact]
    public void A_surrogate_pair_is_not_split_across_segments()
    {
        // 66 + 2 + 66 = 134 units would be two segments of 67, but the emoji cannot sit on the boundary
        SmsText.Segments(new string('中', 66) + "😀" + new string('中', 66)).ShouldBe(3);
    }

    [Fact]
    public void A_Chinese_invitation_with_a_short_link_fits_one_segment_and_keeps_signature_link_and_opt_out()
    {
        var body = SmsText.Invitation(new SmsInvitationContent("zh-CN", "星辰汽车", "https://cx.example.cn/s/Ab3dE9xZ", "王女士", "上海浦东店"));

        SmsText.Segments(body).ShouldBe(1);
        body.ShouldStartWith("【星辰汽车】");
        body.ShouldContain("https://cx.example.cn/s/Ab3dE9xZ ");
        body.ShouldEndWith("回复TD退订");
    }

    [Fact]
    public void A_longer_link_takes_the_fullest_wording_that_fits_two_segments()
    {
        var url = "https://survey.star-motors.example.com.cn/s/" + new string('x', 40);
        var zh = SmsText.Invitation(new SmsInvitationContent("zh-CN", "星辰汽车", url, "王女士", "上海浦东店"));
        var en = SmsText.Invitation(new SmsInvitationContent("en", "Star Motors", url + new string('y', 60), "Ms Wang", "Harbour Motors Pudong"));

        SmsText.Segments(zh).ShouldBe(2);
        zh.ShouldBe($"【星辰汽车】王女士您好，感谢您光临上海浦东店。请花1分钟评价本次服务：{url} 回复TD退订");
        SmsText.Measure(en).Encoding.ShouldBe(SmsEncoding.Gsm7);
        SmsText.Segments(en).ShouldBeLessThanOrEqualTo(2);
        en.ShouldContain(url + new string('y', 60));
        en.ShouldEndWith("STOP to opt out");
    }

    [Fact]
    public void An_English_invitation_fits_one_segment_when_it_can()
    {
        var body = SmsText.Invitation(new SmsInvitationContent("en-US", "Star Motors", "https://cx.example.com/s/Ab3dE9xZ", "Ms Wang", "Harbour Motors"));

        body.ShouldBe("Star Motors: Hi Ms Wang, thanks for visiting Harbour Motors. How did we do? Take our 1-minute survey: https://cx.example.com/s/Ab3dE9xZ Reply STOP to opt out");
        SmsText.Measure(body).ShouldBe(new SmsMeasure(SmsEncoding.Gsm7, body.Length, 1));
    }

    [Fact]
    public void A_link_too_long_for_two_segments_is_never_cut()
    {
        var url = "https://survey.example.com/s/" + new string('t', 220); // a full signed token
        var body = SmsText.Invitation(new SmsInvitationContent("zh-CN", "星辰汽车", url));

        body.ShouldBe($"【星辰汽车】邀您评价：{url} 回复TD退订");
        SmsText.Segments(body).ShouldBeGreaterThan(2);
    }
}
