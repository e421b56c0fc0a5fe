using Case = Survey.Domain.Cases.Case;
using Survey.Domain.Cases;

namespace Survey.Tests.Domain.Cases;

/// <summary>Given(events).When(command).Then(events) over the case decider.</summary>
public sealed class CaseSpec
{
    public static readonly Guid CaseId = Guid.Parse("0195f000-0000-7000-8000-00000000ca5e");
    public static readonly DateTimeOffset Opened = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly List<object> _given = [];
    private Func<object[]>? _when;

    public static CaseOpened OpenedEvent(string? customer = "C-1") =>
        new(CaseId, Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), customer, "SH-PD-01", "EAST",
            [new MatchedRule(Guid.NewGuid(), 1, "Detractors", "NPS 3 on 'nps' is at most 6.")], Opened.AddHours(24), Opened.AddHours(72), Opened);

    public static CaseSpec Given(params object[] events)
    {
        var spec = new CaseSpec();
        spec._given.AddRange(events);
        return spec;
    }

    public CaseSpec When(CaseCommand command, DateTimeOffset? now = null)
    {
        _when = () => CaseDecider.Decide(command, State(), now ?? Opened.AddHours(1));
        return this;
    }

    public Case? State() => _given.Aggregate((Case?)null, CaseDecider.Evolve);

    public T Then<T>() where T : class => _when!().ShouldHaveSingleItem().ShouldBeOfType<T>();

    public void ThenNothing() => _when!().ShouldBeEmpty();

    public TException ThenRejected<TException>() where TException : Exception => Should.Throw<TException>(() => _when!());
}
