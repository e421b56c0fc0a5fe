using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace Survey.Tests.Channels;

/// <summary>
/// WeChat's server API as documented: <c>POST /cgi-bin/stable_token</c> (JSON grant_type, appid, secret, force_refresh) gives
/// <c>{ access_token, expires_in }</c>; <c>POST /cgi-bin/message/subscribe/send?access_token=</c> (JSON touser, template_id, page,
/// data of <c>{ value }</c>, miniprogram_state, lang) gives <c>{ errcode, errmsg, msgid }</c>. Only the current token is valid;
/// <see cref="Rotate"/> replaces it, as an expiry would. Openids in <see cref="Script"/> get a scripted answer.
/// </summary>
public sealed class FakeWeChat
{
    public const string AppId = "wx4f4bc4dec97d474b";
    public const string AppSecret = "a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8";

    private int _issued;
    private FakeWeChat(FakeProvider server) => Server = server;

    public FakeProvider Server { get; }
    public string CurrentToken { get; private set; } = "";
    public int TokensIssued => _issued;
    public bool ForceRefreshSeen { get; private set; }

    /// <summary>openid => "43101", "-1", "abort" or "always-40001".</summary>
    public ConcurrentDictionary<string, string> Script { get; } = new();

    public static async Task<FakeWeChat> Start()
    {
        FakeWeChat? wechat = null;
        var server = await FakeProvider.Start((context, request) => wechat!.Answer(context, request));
        wechat = new FakeWeChat(server);
        wechat.Rotate();
        return wechat;
    }

    public void Rotate() => CurrentToken = $"93_fake-access-token-{Guid.NewGuid():N}";

    public Dictionary<string, string> Settings() => new()
    {
        ["Channels:WeChat:AppId"] = AppId,
        ["Channels:WeChat:AppSecret"] = AppSecret,
        ["Channels:WeChat:BaseUrl"] = Server.BaseUrl,
        ["Channels:WeChat:MiniProgramState"] = "trial",
        ["Channels:WeChat:Timeout"] = "00:00:15",
    };

    public IEnumerable<ReceivedRequest> Sends => Server.Requests.Where(r => r.Path == "/cgi-bin/message/subscribe/send");

    /// <summary>Codes wx.login() handed out: code => openid, or => "45011" / "-1" for a scripted error. Each works once.</summary>
    public ConcurrentDictionary<string, string> LoginCodes { get; } = new();

    /// <summary>
    /// <c>GET /sns/jscode2session?appid&amp;secret&amp;js_code&amp;grant_type=authorization_code</c>: <c>{ openid, session_key }</c>, or
    /// <c>{ errcode, errmsg }</c> with 40029 (invalid code), 40163 (code been used), 40013 (invalid appid), 40125 (invalid secret).
    /// </summary>
    private Task Code2Session(HttpContext context, ReceivedRequest request)
    {
        var query = QueryHelpers.ParseQuery(request.Query);
        string Q(string name) => query.GetValueOrDefault(name).ToString();
        if (Q("grant_type") != "authorization_code") return Error(context, 40002, "invalid grant_type");
        if (Q("appid") != AppId) return Error(context, 40013, "invalid appid");
        if (Q("secret") != AppSecret) return Error(context, 40125, "invalid appsecret");
        var code = Q("js_code");
        if (_usedCodes.ContainsKey(code)) return Error(context, 40163, "code been used, rid: 6543a1b2-0c3d4e5f-1a2b3c60");
        if (!LoginCodes.TryRemove(code, out var openid)) return Error(context, 40029, "invalid code, rid: 6543a1b2-0c3d4e5f-1a2b3c61");
        _usedCodes[code] = true;
        return openid switch
        {
            "45011" => Error(context, 45011, "api minute-quota reach limit  mustslower  retry next minute"),
            "-1" => Error(context, -1, "system error"),
            _ => FakeProvider.Json(context, 200, new JsonObject { ["session_key"] = "tiihtNczf5v6AKRyjwEUhQ==", ["openid"] = openid }.ToJsonString()),
        };
    }

    private readonly ConcurrentDictionary<string, bool> _usedCodes = new();

    private Task Answer(HttpContext context, ReceivedRequest request)
    {
        if (request.Path == "/sns/jscode2session")
            return request.Method == "GET" ? Code2Session(context, request) : FakeProvider.Json(context, 200, """{"errcode":43001,"errmsg":"require GET method"}""");
        if (request.Method != "POST") return FakeProvider.Json(context, 200, """{"errcode":43002,"errmsg":"require POST method"}""");
        JsonObject? json;
        try { json = JsonNode.Parse(request.Body) as JsonObject; }
        catch (System.Text.Json.JsonException) { json = null; }
        if (json is null) return Error(context, 47001, "data format error");
        return request.Path switch
        {
            "/cgi-bin/stable_token" => Token(context, json),
            "/cgi-bin/message/subscribe/send" => Send(context, request, json),
            _ => FakeProvider.Json(context, 404, "<html>not found</html>"),
        };
    }

    private Task Token(HttpContext context, JsonObject json)
    {
        if (Text(json, "grant_type") != "client_credential") return Error(context, 40002, "invalid grant_type");
        if (Text(json, "appid") != AppId) return Error(context, 40013, "invalid appid");
        if (Text(json, "secret") != AppSecret) return Error(context, 40125, "invalid appsecret");
        if (json["force_refresh"] is { } force)
        {
            if (force.GetValueKind() is not (System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False)) return Error(context, 40097, "invalid args");
            if (force.GetValue<bool>()) ForceRefreshSeen = true;
        }
        Interlocked.Increment(ref _issued);
        return FakeProvider.Json(context, 200, new JsonObject { ["access_token"] = CurrentToken, ["expires_in"] = 7200 }.ToJsonString());
    }

    private Task Send(HttpContext context, ReceivedRequest request, JsonObject json)
    {
        var token = QueryHelpers.ParseQuery(request.Query).GetValueOrDefault("access_token").ToString();
        var touser = Text(json, "touser");
        if (token != CurrentToken || Script.GetValueOrDefault(touser ?? "") == "always-40001")
            return Error(context, 40001, "invalid credential, access_token is invalid or not latest rid: 6543a1b2-0c3d4e5f-1a2b3c4d");
        if (string.IsNullOrEmpty(touser)) return Error(context, 40003, "invalid openid rid: 6543a1b2-0c3d4e5f-1a2b3c4e");
        if (string.IsNullOrEmpty(Text(json, "template_id"))) return Error(context, 40037, "invalid template_id rid: 6543a1b2-0c3d4e5f-1a2b3c4f");
        if (json["data"] is not JsonObject data || data.Count == 0 ||
            data.Any(field => field.Value is not JsonObject { Count: 1 } value || value["value"]?.GetValueKind() != System.Text.Json.JsonValueKind.String))
            return Error(context, 47003, "argument invalid! data.thing1.value invalid rid: 6543a1b2-0c3d4e5f-1a2b3c50");
        if (json["page"] is { } page && page.GetValueKind() != System.Text.Json.JsonValueKind.String) return Error(context, 47001, "data format error");
        if (json["miniprogram_state"] is { } state && Text(json, "miniprogram_state") is not ("developer" or "trial" or "formal"))
            return Error(context, 47001, $"invalid miniprogram_state {state}");
        if (json["lang"] is not null && Text(json, "lang") is not ("zh_CN" or "en_US" or "zh_HK" or "zh_TW"))
            return Error(context, 47001, "invalid lang");

        return Script.GetValueOrDefault(touser!) switch
        {
            "43101" => Error(context, 43101, "user refuse to accept the msg rid: 6543a1b2-0c3d4e5f-1a2b3c51"),
            "-1" => Error(context, -1, "system error rid: 6543a1b2-0c3d4e5f-1a2b3c52"),
            "abort" => FakeProvider.Abort(context),
            _ => FakeProvider.Json(context, 200, """{"errcode":0,"errmsg":"ok","msgid":294402298110051942}"""),
        };
    }

    private static string? Text(JsonObject json, string name) =>
        json[name] is { } node && node.GetValueKind() == System.Text.Json.JsonValueKind.String ? node.GetValue<string>() : null;

    private static Task Error(HttpContext context, int errcode, string errmsg) =>
        FakeProvider.Json(context, 200, new JsonObject { ["errcode"] = errcode, ["errmsg"] = errmsg }.ToJsonString());
}
