namespace Survey.Domain.Questionnaires.SurveyJs;

/// <summary>
/// boolean becomes a single choice between "true" and "false" (or valueTrue/valueFalse when set), labelled labelTrue/labelFalse,
/// else SurveyJS's own "Yes"/"No" ("是"/"否" in Chinese); swapOrder puts "false" first.
/// </summary>
internal static class BooleanImporter
{
    /// <summary>
    /// A SurveyJS boolean answer is true or false (or valueTrue/valueFalse when set). We store the answer as the choice value,
    /// the text "true" or "false"; the expression evaluator has to treat it as equal to the boolean in <c>{q} = true</c>.
    /// </summary>
    public static bool Boolean(ImportContext ctx, JsonProps props, Shape shape)
    {
        var yes = ctx.Text(props.Take("labelTrue"), props.At("labelTrue")) ?? ctx.BuiltIn("booleanCheckedLabel");
        var no = ctx.Text(props.Take("labelFalse"), props.At("labelFalse")) ?? ctx.BuiltIn("booleanUncheckedLabel");
        var valueTrue = ChoiceImporter.Value(ctx, props.Take(out var truePath, "valueTrue"), truePath) ?? "true";
        var valueFalse = ChoiceImporter.Value(ctx, props.Take(out var falsePath, "valueFalse"), falsePath) ?? "false";
        if (valueTrue == valueFalse)
        {
            ctx.Issue(props.Path, $"valueTrue and valueFalse are both '{valueTrue}'; the question was skipped.");
            return false;
        }
        var swap = ctx.Bool(props.Take(out var swapPath, "swapOrder"), swapPath) == true;
        shape.Type = QuestionType.SingleChoice;
        shape.Choices = swap ? [new(valueFalse, no), new(valueTrue, yes)] : [new(valueTrue, yes), new(valueFalse, no)];
        return true;
    }
}
