using Floor;

// PUT /api/public/responses/{id} and POST /api/public/responses/{id}/saves with nothing but Kestrel, System.Text.Json (source
// generated) and one Npgsql statement each; plus the few admin routes bench/SaveLoad calls before a run. See README.md.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, FloorJson.Default));
builder.Services.AddFloorDatabase(builder.Configuration);

var app = builder.Build();
await app.Services.GetRequiredService<FloorDatabase>().CreateSchema();
app.MapGet("/health", async (FloorDatabase db, CancellationToken ct) => await db.Healthy(ct) ? Results.Ok() : Results.StatusCode(503));
app.MapBenchAdminApi();
app.MapSavingApi();
app.Run();
