using Survey.Domain.Triggers;

namespace Survey.Tests.Domain.Triggers;

/// <summary>Given(events).When(command).Then(events) over the trigger decider.</summary>
public sealed class TriggerSpec
{
    private readonly List<object> _given = [];
    private Func<object[]>? _when;

    public static TriggerSpec Given(params object[] events)
    {
        var spec = new TriggerSpec();
        spec._given.AddRange(events);
        return spec;
    }

    public TriggerSpec When(TriggerCommand command, DateTimeOffset? now = null)
    {
        _when = () => TriggerDecider.Decide(command, State(), now ?? TriggerSamples.Now);
        return this;
    }

    public Trigger? State() => _given.Aggregate((Trigger?)null, TriggerDecider.Evolve);

    public object[] Then() => _when!();

    public T Then<T>() where T : class
    {
        var events = _when!();
        events.Length.ShouldBe(1);
        return events[0].ShouldBeOfType<T>();
    }

    public void ThenNothing() => _when!().ShouldBeEmpty();

    public TException ThenRejected<TException>() where TException : Exception => Should.Throw<TException>(() => _when!());
}
