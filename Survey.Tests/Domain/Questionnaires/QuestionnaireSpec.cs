using Survey.Domain.Questionnaires;

namespace Survey.Tests.Domain.Questionnaires;

/// <summary>Given(events).When(command).Then(events) over the questionnaire decider.</summary>
public sealed class QuestionnaireSpec
{
    private readonly List<object> _given = [];
    private Func<object[]>? _when;

    public static QuestionnaireSpec Given(params object[] events)
    {
        var spec = new QuestionnaireSpec();
        spec._given.AddRange(events);
        return spec;
    }

    public QuestionnaireSpec When(QuestionnaireCommand command)
    {
        _when = () => QuestionnaireDecider.Decide(command, State(), Samples.Now);
        return this;
    }

    public Questionnaire? State() => _given.Aggregate((Questionnaire?)null, QuestionnaireDecider.Evolve);

    public object[] Then() => _when!();

    public T Then<T>() where T : class
    {
        var events = _when!();
        events.Length.ShouldBe(1);
        return events[0].ShouldBeOfType<T>();
    }

    public TException ThenRejected<TException>() where TException : Exception => Should.Throw<TException>(() => _when!());
}
