using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace IngestBench;

/// <summary>
/// Synthetic operational events, the same for every path of one run: a type, a dealer of 300, a customer (about 60% as many
/// customers as events, so some come back) with name, e-mail, a mobile number without +86 (normalised to E.164 on the way in),
/// language and consents, and 3-4 attributes. Every <see cref="BadEvery"/>th row carries an invalid e-mail address, so the
/// import report has rows to list.
/// </summary>
public sealed class Rows(int count, string prefix)
{
    public const int BadEvery = 10_000;
    private static readonly string[] Types = ["service.completed", "vehicle.delivered", "order.paid"];
    private static readonly string[] Models = ["A4L", "A6L", "Q3", "Q5L", "e-tron GT"];
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];
    private static readonly string[] Given = ["伟", "芳", "娜", "敏", "静", "磊", "洋", "勇"];
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));

    public const string Header = "externalId,type,occurredAt,dealerCode,customerExternalId,customerName,email,mobile,preferredLanguage,timeZone,consentEmail,consentSms,attr.vehicleModel,attr.advisor,attr.amount,attr.mileage";

    public int Count => count;

    /// <summary>1-based data rows that are bad (in the CSV file they sit one line lower, under the header).</summary>
    public IEnumerable<int> BadRows => Enumerable.Range(1, count).Where(i => i % BadEvery == 0);

    public record Row(string ExternalId, string Type, DateTimeOffset OccurredAt, string Dealer, string Customer, string Name, string Email, string Mobile,
        string Language, bool ConsentEmail, bool ConsentSms, string Model, string Advisor, string Amount, string? Mileage);

    public Row At(int i) // i is 1-based
    {
        var c = (int)(((long)i * 7919) % Math.Max(1, count * 6 / 10)); // a customer of ~0.6 * count, spread over the file
        var zh = c % 3 != 0;
        return new Row($"{prefix}-RO-{i:D8}", Types[i % Types.Length], Start.AddSeconds(i * 13 % 2_000_000), $"D{i % 300:D4}", $"{prefix}-C-{c:D8}",
            zh ? Surnames[c % 8] + Given[c / 8 % 8] : $"Customer {c}",
            i % BadEvery == 0 ? $"broken-address-{c}" : $"c{c}@example.com",
            $"13{c % 9 + 1}{c:D8}", zh ? "zh-CN" : "en", c % 5 != 0, c % 4 != 0,
            Models[i % Models.Length], $"advisor-{i % 40}", (200 + i % 3000).ToString("0.00", CultureInfo.InvariantCulture), i % 2 == 0 ? (i % 90_000).ToString(CultureInfo.InvariantCulture) : null);
    }

    public string CsvLine(int i)
    {
        var r = At(i);
        return string.Join(',', r.ExternalId, r.Type, r.OccurredAt.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture), r.Dealer, r.Customer,
            r.Name, r.Email, r.Mobile, r.Language, "Asia/Shanghai", r.ConsentEmail ? "true" : "false", r.ConsentSms ? "true" : "false",
            r.Model, r.Advisor, r.Amount, r.Mileage ?? "");
    }

    public async Task WriteCsv(string path)
    {
        await using var file = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        await file.WriteLineAsync(Header);
        for (var i = 1; i <= count; i++) await file.WriteLineAsync(CsvLine(i));
    }

    /// <summary>The webhook body for rows <paramref name="from"/> to <paramref name="to"/> (inclusive), as UTF-8 JSON.</summary>
    public byte[] Batch(int from, int to)
    {
        var events = new JsonArray();
        for (var i = from; i <= to; i++)
        {
            var r = At(i);
            var attributes = new JsonObject { ["vehicleModel"] = r.Model, ["advisor"] = r.Advisor, ["amount"] = r.Amount };
            if (r.Mileage is not null) attributes["mileage"] = r.Mileage;
            var consentAt = r.OccurredAt.ToString("O", CultureInfo.InvariantCulture);
            events.Add(new JsonObject
            {
                ["externalId"] = r.ExternalId, ["type"] = r.Type, ["occurredAt"] = consentAt, ["dealerCode"] = r.Dealer,
                ["customer"] = new JsonObject
                {
                    ["externalId"] = r.Customer, ["name"] = r.Name, ["email"] = r.Email, ["mobile"] = r.Mobile, ["preferredLanguage"] = r.Language,
                    ["timeZone"] = "Asia/Shanghai",
                    ["consents"] = new JsonArray(
                        new JsonObject { ["channel"] = "email", ["given"] = r.ConsentEmail, ["at"] = consentAt, ["source"] = "dms" },
                        new JsonObject { ["channel"] = "sms", ["given"] = r.ConsentSms, ["at"] = consentAt, ["source"] = "dms" }),
                },
                ["attributes"] = attributes,
            });
        }
        return JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["events"] = events });
    }
}
