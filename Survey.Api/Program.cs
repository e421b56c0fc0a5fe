using Survey.Api.Reports;
using Scalar.AspNetCore;
using Survey.Api.Cases;
using Survey.Api.Analytics;
using Survey.Api.Health;
using Survey.Api.Http;
using Survey.Api.Invitations;
using Survey.Api.Questionnaires;
using Survey.Api.Operations.Ingesting;
using Survey.Api.Operations.OrgHierarchy;
using Survey.Api.Privacy;
using Survey.Api.Privacy.Hardening;
using Survey.Api.Respondents;
using Survey.Api.Security;
using Survey.Api.Storage;

var builder = WebApplication.CreateBuilder(new WebApplicationOptions
{
    Args = args,
    WebRootPath = Path.Combine(AppContext.BaseDirectory, "wwwroot"),
});

builder.AddStorage();
builder.AddRespondents();
builder.AddInvitations();
builder.Services.AddCases();
builder.AddSignIn();
builder.AddPrivacy();
builder.AddAnalytics();
builder.Services.AddReports();
builder.Services.AddApiKeys();
builder.Services.AddOptions<OperationsOptions>().BindConfiguration("Operations");
builder.Services.AddSingleton(TimeProvider.System);
builder.Services.AddProblems();
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.ApplyApiJson());
builder.Services.AddOpenApi(o => o.AddDocumentTransformer(OpenApiDescription.Describe).AddOperationTransformer(OpenApiDescription.AddExamples));
builder.Services.AddHealth();
builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = builder.Configuration.GetValue("Http:MaxRequestBodyBytes", 2 * 1024 * 1024));

var app = builder.Build();

app.UseExceptionHandler();
app.UsePublicCors();
app.UseStatusCodePages();
app.UseSecurityHeaders();
app.UseDefaultFiles();
app.UseStaticFiles();
app.UseWidgetFiles();

app.UseRouting();
app.UseAuthentication();
app.UseAudit();
app.UseAuthorization();
app.UsePublicLimits();

app.MapOpenApi().AllowAnonymous();
app.MapScalarApiReference("/docs", o => o.WithTitle("Survey engine API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
app.MapHealth();
app.MapQuestionnairesApi();
app.MapRespondents();
app.MapApiKeysApi();
app.MapDevSignIn();
app.MapConsoleSignIn();
app.MapJobDashboardSession();
app.MapAuditApi();
app.MapIngestApi();
app.MapOrgApi();
app.MapInvitations();
app.MapCases();
app.MapPrivacy();
app.MapAnalyticsApi();
app.MapReports();

app.Run();

public partial class Program;
