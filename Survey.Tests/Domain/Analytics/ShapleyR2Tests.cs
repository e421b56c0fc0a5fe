using Survey.Domain.Analytics.Drivers;
using static Survey.Tests.Domain.Analytics.DriverSamples;

namespace Survey.Tests.Domain.Analytics;

public class ShapleyR2Tests
{
    [Fact]
    public void Given_exact_linear_data_When_fitted_Then_coefficients_recovered_and_r_squared_1()
    {
        double[][] x = [[1, 0], [0, 1], [1, 1], [2, 1], [3, 5]];
        var y = x.Select(r => 1 + 2 * r[0] + 3 * r[1]).ToList();
        var fit = LinearRegression.Fit(x, y).ShouldNotBeNull();
        fit.Intercept.ShouldBe(1, 1e-9);
        fit.Slopes.ShouldBe([2.0, 3.0], tolerance: 1e-9);
        fit.RSquared.ShouldBe(1, 1e-12);
    }

    [Fact]
    public void Given_three_attribute_design_When_fitted_Then_slopes_2_1_1_and_r_squared_8_of_9()
    {
        // NPS = 5 + 2·c1 + c2 + c3 + e = −7 + 2·advisor + lounge + handover + e. Var(2·c1 + c3) = 4 + 1 + 2·2·0.5 = 7, Var(c2) = 1,
        // Var(e) = 1, so Var(NPS) = 9 and the regression explains 8 of it.
        var data = Correlated();
        var fit = LinearRegression.Fit(Rows(data, CorrelatedAttributes), Outcomes(data)).ShouldNotBeNull();
        fit.Intercept.ShouldBe(-7, 1e-9);
        fit.Slopes.ShouldBe([2.0, 1.0, 1.0], tolerance: 1e-9);
        fit.RSquared.ShouldBe(8.0 / 9, 1e-12);
    }

    [Fact]
    public void Given_a_predictor_that_copies_another_When_fitted_Then_no_fit()
    {
        double[][] x = [[1, 2], [2, 4], [3, 6], [4, 8]];
        LinearRegression.Fit(x, [1, 2, 2, 3]).ShouldBeNull();
        LinearRegression.Fit([[3.0], [3.0], [3.0]], [1, 2, 3]).ShouldBeNull();
    }

    [Fact]
    public void Given_two_uncorrelated_attributes_When_decomposed_Then_contributions_are_their_squared_correlations()
    {
        // Orthogonal predictors: R²({advisor, lounge}) = r²(advisor) + r²(lounge), so each joins with the same gain in any order
        // and φ = r²: 20/108 = 0.1852 and 80/108 = 0.7407, adding up to R² = 100/108 = 0.9259.
        var data = Orthogonal();
        var shapley = ShapleyR2.Decompose(Rows(data, OrthogonalAttributes), Outcomes(data)).ShouldNotBeNull();
        shapley.Contributions.ShouldBe([20.0 / 108, 80.0 / 108], tolerance: 1e-12);
        shapley.RSquared.ShouldBe(100.0 / 108, 1e-12);
        shapley.Contributions.Sum().ShouldBe(shapley.RSquared, 1e-12);
        DriverAnalysis.Correlation("advisor", data).ShouldBe(Math.Sqrt(20.0 / 108), 1e-12);
        DriverAnalysis.Correlation("lounge", data).ShouldBe(Math.Sqrt(80.0 / 108), 1e-12);
    }

    [Fact]
    public void Given_three_attributes_two_of_them_correlated_When_decomposed_Then_shares_worked_out_by_hand_sum_to_r_squared()
    {
        // Cov(NPS, c1) = 2 + 1·0.5 = 2.5, Cov(NPS, c3) = 2·0.5 + 1 = 2, Cov(NPS, c2) = 1; Var(NPS) = 9.
        // r²: advisor 6.25/9, lounge 1/9, handover 4/9. R²(advisor, handover) = Var(2·c1 + c3)/9 = 7/9; full R² = 8/9.
        // Lounge is uncorrelated with the rest, so it adds 1/9 to any subset: φ(lounge) = 1/9.
        // Advisor and handover split the rest as a two-predictor Shapley (the two orders equally likely):
        //   φ(advisor)  = ½ [r²(advisor)  + (7/9 − r²(handover))] = ½ [6.25 + 3] / 9 = 4.625/9 = 0.5139
        //   φ(handover) = ½ [r²(handover) + (7/9 − r²(advisor))]  = ½ [4 + 0.75] / 9 = 2.375/9 = 0.2639
        // Sum: (4.625 + 1 + 2.375)/9 = 8/9.
        var data = Correlated();
        var shapley = ShapleyR2.Decompose(Rows(data, CorrelatedAttributes), Outcomes(data)).ShouldNotBeNull();
        shapley.Contributions.ShouldBe([4.625 / 9, 1.0 / 9, 2.375 / 9], tolerance: 1e-12);
        shapley.Contributions.Sum().ShouldBe(8.0 / 9, 1e-12);
        shapley.RSquared.ShouldBe(8.0 / 9, 1e-12);
    }

    [Fact]
    public void Given_more_than_8_predictors_When_decomposed_Then_rejected()
    {
        var rows = Enumerable.Range(0, 100).Select(i => (IReadOnlyList<double>)Enumerable.Range(0, 9).Select(j => (double)((i * (j + 3)) % 7)).ToArray()).ToList();
        Should.Throw<ArgumentException>(() => ShapleyR2.Decompose(rows, rows.Select(r => r.Sum()).ToList()));
    }
}
