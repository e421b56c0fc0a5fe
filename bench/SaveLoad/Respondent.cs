using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SaveLoad;

/// <summary>
/// What a respondent sends: an after-service survey (NPS, what went wrong, reason for the visit, CSAT, contact consent, a comment),
/// published and opened through a link via the admin API, and save bodies of about 600 bytes.
/// </summary>
public static class Respondent
{
    private static JsonObject T(string en, string zh) => new() { ["en"] = en, ["zh-CN"] = zh };

    private static JsonObject C(string value, string en, string zh) => new() { ["value"] = value, ["text"] = T(en, zh) };

    public static JsonObject Questionnaire() => new()
    {
        ["title"] = T("After-service survey", "售后服务调查"),
        ["description"] = T("Two minutes about your visit to our service centre.", "关于您本次到店服务的两分钟调查。"),
        ["defaultLocale"] = "en",
        ["locales"] = new JsonArray("en", "zh-CN"),
        ["questions"] = new JsonArray(
            new JsonObject
            {
                ["id"] = "nps", ["type"] = "nps", ["required"] = true,
                ["text"] = T("How likely are you to recommend our service centre to a friend?", "您向朋友推荐我们服务中心的可能性有多大？"),
            },
            new JsonObject
            {
                ["id"] = "wrong", ["type"] = "multipleChoice", ["visibleIf"] = "{nps} <= 6", ["maxChoices"] = 3,
                ["text"] = T("What went wrong?", "哪里做得不好？"),
                ["choices"] = new JsonArray(
                    C("wait", "Waiting time", "等待时间"), C("price", "Price", "价格"), C("staff", "Staff attitude", "服务态度"),
                    C("quality", "Quality of the repair", "维修质量"), C("clean", "Cleanliness", "清洁"), C("info", "Explanations", "沟通说明")),
            },
            new JsonObject
            {
                ["id"] = "visit", ["type"] = "singleChoice", ["required"] = true,
                ["text"] = T("What brought you to us?", "您本次到店的原因是？"),
                ["choices"] = new JsonArray(
                    C("maintenance", "Scheduled maintenance", "定期保养"), C("repair", "Repair", "维修"), C("warranty", "Warranty", "保修"),
                    C("recall", "Recall", "召回"), C("other", "Something else", "其他")),
            },
            new JsonObject
            {
                ["id"] = "csat", ["type"] = "csat", ["requiredIf"] = "{nps} <= 6",
                ["text"] = T("How satisfied are you with the repair?", "您对维修满意吗？"),
            },
            new JsonObject
            {
                ["id"] = "contact", ["type"] = "singleChoice",
                ["text"] = T("May we call you about your answers?", "我们可以就您的反馈致电联系您吗？"),
                ["choices"] = new JsonArray(C("yes", "Yes", "可以"), C("no", "No", "不可以")),
            },
            new JsonObject
            {
                ["id"] = "comment", ["type"] = "freeText", ["maxLength"] = 2000, ["page"] = 2, ["requiredIf"] = "{nps} <= 6",
                ["text"] = T("What should we do better?", "我们哪里可以做得更好？"),
            }),
    };

    private static readonly string[] Comments =
    [
        "I booked the 9 o'clock slot for the 30,000 km service and was told it would take about two hours, but the car was only ready " +
        "after four and nobody called to say it would be late. The lounge was clean and the coffee was fine, yet I had to ask three " +
        "times at the desk before anyone checked on it. The invoice also listed a cabin filter that was on the quote as optional. " +
        "The mechanic who explained the brake wear was helpful and honest, and the car was washed, which was a nice touch.",
        "The appointment itself went smoothly and the advisor explained the work clearly, but the price for the brake pads was much higher " +
        "than the estimate I got on the phone, and nobody could tell me why. When I picked the car up the seat was moved and there was " +
        "a greasy mark on the door panel. I would come back for warranty work, but for regular maintenance I will compare prices first. " +
        "Please send reminders by SMS, not email, and tell me the price before you start any extra work.",
    ];

    private static readonly string[][] Wrongs = [["wait", "info"], ["price"], ["wait", "price", "clean"], ["quality"]];
    private static readonly string[] Visits = ["maintenance", "repair", "warranty", "recall"];

    /// <summary>One save: a page's worth of answers and a free-text comment. nps stays at most 6 so "wrong" is visible.</summary>
    public static byte[] SaveBody(int sequence, int variant)
    {
        var body = new JsonObject
        {
            ["sequence"] = sequence,
            ["answers"] = new JsonObject
            {
                ["nps"] = variant % 7,
                ["wrong"] = new JsonArray(Wrongs[variant % Wrongs.Length].Select(w => (JsonNode)JsonValue.Create(w)!).ToArray()),
                ["visit"] = Visits[variant % Visits.Length],
                ["csat"] = 1 + variant % 5,
                ["contact"] = variant % 2 == 0 ? "yes" : "no",
                ["comment"] = Comments[variant % Comments.Length],
            },
        };
        return Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    public static byte[] StartBody(string linkId) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["source"] = new JsonObject { ["kind"] = "link", ["linkId"] = linkId },
        ["locale"] = "zh-CN", ["channel"] = "web", ["device"] = "mobile", ["pageUrl"] = "https://service.example.com/visits/thanks",
    }.ToJsonString());

    /// <summary>Creates and publishes the questionnaire and opens a link to it; returns the link id.</summary>
    public static async Task<string> PublishWithLink(HttpClient client)
    {
        // the admin calls need a sign-in: the development sign-in of the embedded default
        // (builds from before sign-in existed answer 404 and need none: BENCH_SOURCE=<older commit> for bisecting)
        using var signIn = await client.PostAsync("/api/dev/sign-in", JsonContent.Create(new { user = "bench", role = "administrator" }));
        using var admin = new HttpClient { BaseAddress = client.BaseAddress };
        if (signIn.StatusCode != HttpStatusCode.NotFound)
        {
            var signedIn = await Expect(signIn, HttpStatusCode.OK);
            admin.DefaultRequestHeaders.Authorization = new("Bearer", signedIn.GetProperty("accessToken").GetString());
        }
        client = admin;
        var created = await Expect(await client.PostAsync("/api/questionnaires", Json(Questionnaire().ToJsonString())), HttpStatusCode.Created);
        var id = created.GetProperty("id").GetGuid();
        await Expect(await client.PostAsync($"/api/questionnaires/{id}/publish", null), HttpStatusCode.OK);
        var link = await Expect(await client.PostAsync("/api/public-links", JsonContent.Create(new { questionnaireId = id })), HttpStatusCode.Created);
        return link.GetProperty("id").GetString()!;
    }

    public static ByteArrayContent Json(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");
        return content;
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonElement> Expect(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != status)
            throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }
}
