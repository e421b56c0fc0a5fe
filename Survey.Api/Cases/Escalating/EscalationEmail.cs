using System.Net;
using Survey.Api.Channels;
using Survey.Domain.Cases;
using Survey.Domain.Operations;

namespace Survey.Api.Cases.Escalating;

/// <summary>
/// The escalation e-mail to a regional manager, in Chinese and English. It names the dealer, the rule's reason, the SLA missed and
/// links to the case; it carries no customer data (the manager opens the case to see it). Its message id comes from the case,
/// SLA, round and recipient, so a resend after a crash carries the same Message-ID.
/// </summary>
public static class EscalationEmail
{
    public static OutgoingMessage Compose(string tenantId, Case c, CaseSla sla, int round, ManagerContact to, Dealer? dealer, string baseUrl)
    {
        var url = $"{baseUrl.TrimEnd('/')}/#/cases/{c.Id}";
        var due = sla == CaseSla.FirstContact ? c.FirstContactDueAt : c.ResolutionDueAt;
        var (zhStep, enStep) = sla == CaseSla.FirstContact ? ("首次联系客户", "first contact with the customer") : ("解决", "resolution");
        var dealerZh = dealer?.Name.Zh ?? c.DealerCode ?? "（无经销商）";
        var dealerEn = dealer?.Name.En ?? c.DealerCode ?? "(no dealer)";
        var reasons = string.Join(" ", c.Rules.Select(r => r.Reason));
        var subject = $"[逾期案例 Overdue case] {dealerZh} / {dealerEn}: {zhStep} / {enStep}";
        var text =
            $"{to.Name}，您好：\n\n{dealerZh}的客户案例已超过{zhStep}时限（截止 {due:yyyy-MM-dd HH:mm} UTC），请跟进。\n\n" +
            $"Hello {to.Name},\n\nA customer case at {dealerEn} is past its {enStep} deadline ({due:yyyy-MM-dd HH:mm} UTC). Please follow up.\n\n" +
            $"Case / 案例: {c.Id}\nOpened / 开启: {c.OpenedAt:yyyy-MM-dd HH:mm} UTC\nWhy / 原因: {reasons}\nAssigned to / 负责人: {c.AssigneeName ?? "-"}\n\n{url}\n";
        var html =
            $"<p>{E(to.Name)}，您好：</p><p>{E(dealerZh)}的客户案例已超过{zhStep}时限（截止 {due:yyyy-MM-dd HH:mm} UTC），请跟进。</p>" +
            $"<p>Hello {E(to.Name)},</p><p>A customer case at {E(dealerEn)} is past its {enStep} deadline ({due:yyyy-MM-dd HH:mm} UTC). Please follow up.</p>" +
            $"<ul><li>Case / 案例: {c.Id}</li><li>Why / 原因: {E(reasons)}</li><li>Assigned to / 负责人: {E(c.AssigneeName ?? "-")}</li></ul>" +
            $"<p><a href=\"{E(url)}\">Open the case / 打开案例</a></p>";
        return new OutgoingMessage(CaseIds.EscalationMessage(c.Id, sla, round, to.Email), tenantId, ChannelKind.Email, to.Email, "zh-CN",
            subject, text, html, url, null, null, null, null);
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
