namespace Survey.Api.Channels;

/// <summary>Bound from <c>Channels:WeChat</c>. Without <see cref="AppId"/>, messages go to the outbox folder as .json files.</summary>
public sealed class WeChatOptions
{
    public const string Section = "Channels:WeChat";

    /// <summary>The mini-program's AppID; empty means outbox mode.</summary>
    public string? AppId { get; set; }

    public string? AppSecret { get; set; }

    /// <summary>The tenant (brand) whose members sign in through this mini-program (<c>POST /api/public/miniprogram/sessions</c>).</summary>
    public string Tenant { get; set; } = "default";

    /// <summary>How long a member stays signed in to the pending-survey endpoint before the component signs in again.</summary>
    public TimeSpan MemberSessionLifetime { get; set; } = TimeSpan.FromDays(7);

    public string BaseUrl { get; set; } = "https://api.weixin.qq.com";

    /// <summary>Which version of the mini-program the message opens: <c>formal</c>, <c>trial</c> or <c>developer</c>.</summary>
    public string MiniProgramState { get; set; } = "formal";

    /// <summary>An access token is used until this long before it expires, then fetched again.</summary>
    public TimeSpan TokenRefreshMargin { get; set; } = TimeSpan.FromMinutes(5);

    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);
}
