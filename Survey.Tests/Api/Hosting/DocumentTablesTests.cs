using System.Reflection;
using System.Reflection.Emit;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Survey.Tests.Infrastructure;

namespace Survey.Tests.Api.Hosting;

/// <summary>
/// Every document type the product loads, queries or stores through Marten has its table once the startup migration has run.
/// A type left to Marten's lazy creation gets its table from whichever node touches it first; two nodes doing that at once race
/// on the same DDL and one fails (CI saw it in the two-host dispatch test). The types are found in the API's IL, so a new
/// document type that is not registered fails here rather than on a second node in production.
/// </summary>
public class DocumentTablesTests(ApiFixture api) : IClassFixture<ApiFixture>
{
    private static readonly HashSet<string> DocumentMethods =
    [
        "Load", "LoadAsync", "LoadMany", "LoadManyAsync", "Query", "Store", "Insert", "Update", "Delete", "DeleteWhere",
        "HardDelete", "HardDeleteWhere", "Patch",
    ];

    [Fact]
    public async Task The_startup_migration_creates_the_table_of_every_document_type_the_api_uses()
    {
        var used = DocumentTypesUsedBy(typeof(Program).Assembly);
        used.Count.ShouldBeGreaterThan(15, "the scan finds the document types of the API's Marten calls");
        used.ShouldContain(typeof(Survey.Api.Operations.DealerRecord));

        _ = api.CreateClient(); // the host starts and migrates; nothing else touches the database before the check
        var store = api.Services.GetRequiredService<IDocumentStore>();
        var tables = (await TestPostgres.TextAsync(api.ConnectionString,
            "select string_agg(table_name, ',') from information_schema.tables where table_schema = 'survey' and table_name like 'mt_doc_%'"))!
            .Split(',').ToHashSet();

        var missing = used.Select(type => (type, table: store.Options.FindOrResolveDocumentType(type).TableName.Name))
            .Where(t => !tables.Contains(t.table)).Select(t => $"{t.type.Name} ({t.table})").ToList();
        missing.ShouldBeEmpty("register these with Schema.For<T>() or RegisterDocumentTypes in the store setup");
    }

    /// <summary>The concrete T of every Marten document call (Load&lt;T&gt;, Query&lt;T&gt;, Store&lt;T&gt;...) in the assembly's IL.</summary>
    private static HashSet<Type> DocumentTypesUsedBy(Assembly assembly)
    {
        var found = new HashSet<Type>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        foreach (var type in assembly.GetTypes())
        foreach (var method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            var il = method.GetMethodBody()?.GetILAsByteArray();
            if (il is null) continue;
            foreach (var token in CallTokens(il))
            {
                MethodBase? called;
                try
                {
                    called = type.Module.ResolveMethod(token, type.IsGenericType ? type.GetGenericArguments() : null,
                        method.IsGenericMethod ? method.GetGenericArguments() : null);
                }
                catch (ArgumentException) { continue; }
                if (called is not MethodInfo { IsGenericMethod: true } generic || !DocumentMethods.Contains(generic.Name)) continue;
                if (generic.DeclaringType?.Namespace?.StartsWith("Marten", StringComparison.Ordinal) != true) continue;
                foreach (var argument in generic.GetGenericArguments())
                    if (!argument.IsGenericParameter && !argument.ContainsGenericParameters && argument.IsClass && argument != typeof(string)
                        && argument.Assembly != typeof(object).Assembly)
                        found.Add(argument);
            }
        }
        return found;
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!).ToDictionary(o => o.Value);

    /// <summary>Metadata tokens of call, callvirt and ldftn instructions, walking the IL instruction by instruction.</summary>
    private static IEnumerable<int> CallTokens(byte[] il)
    {
        var at = 0;
        while (at < il.Length)
        {
            short value = il[at] == 0xFE && at + 1 < il.Length ? (short)(0xFE00 | il[at + 1]) : il[at];
            if (!OpCodesByValue.TryGetValue(value, out var op)) yield break;
            at += op.Size;
            var operand = op.OperandType switch
            {
                OperandType.InlineNone => 0,
                OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                OperandType.InlineVar => 2,
                OperandType.InlineI8 or OperandType.InlineR => 8,
                OperandType.InlineSwitch => 4 + 4 * BitConverter.ToInt32(il, at),
                _ => 4,
            };
            if (op == OpCodes.Call || op == OpCodes.Callvirt || op == OpCodes.Ldftn || op == OpCodes.Newobj) yield return BitConverter.ToInt32(il, at);
            at += operand;
        }
    }
}
