namespace Survey.Domain.Analytics.Drivers;

/// <summary>An ordinary least squares fit y ≈ intercept + Σ slopeⱼ·xⱼ and the share of the variance of y it explains.</summary>
public sealed record RegressionFit(double Intercept, IReadOnlyList<double> Slopes, double RSquared);

/// <summary>
/// Ordinary least squares for a handful of predictors (drivers use at most 8), solved from the normal equations on centred data,
/// (XᵀX) β = Xᵀy, with a Cholesky factorisation. The intercept follows from the means. Small, exact enough for k ≤ 8, no packages.
/// </summary>
public static class LinearRegression
{
    /// <summary>The fit, or null when the predictors are constant or linearly dependent (XᵀX is not positive definite).</summary>
    public static RegressionFit? Fit(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y)
    {
        var data = CrossProducts.Of(x, y);
        var all = Enumerable.Range(0, data.K).ToArray();
        if (data.Solve(all) is not { } slopes) return null;
        var intercept = data.MeanY - slopes.Select((b, j) => b * data.MeansX[j]).Sum();
        return new RegressionFit(intercept, slopes, data.RSquared(slopes, all));
    }
}

/// <summary>Centred sums of squares and cross products, from which the fit of any subset of predictors follows without another pass.</summary>
internal sealed class CrossProducts
{
    private const double Tolerance = 1e-10;

    private readonly double[,] _xx;
    private readonly double[] _xy;
    private readonly double _yy;

    private CrossProducts(int k, double[] meansX, double meanY, double[,] xx, double[] xy, double yy) =>
        (K, MeansX, MeanY, _xx, _xy, _yy) = (k, meansX, meanY, xx, xy, yy);

    public int K { get; }
    public double[] MeansX { get; }
    public double MeanY { get; }

    public static CrossProducts Of(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y)
    {
        var n = y.Count;
        if (x.Count != n) throw new ArgumentException($"{x.Count} rows of predictors for {n} outcomes.", nameof(x));
        if (n == 0) throw new ArgumentException("A regression needs data.", nameof(y));
        var k = x[0].Count;
        if (x.Any(row => row.Count != k)) throw new ArgumentException("Every row needs the same number of predictors.", nameof(x));

        var meansX = Enumerable.Range(0, k).Select(j => x.Average(row => row[j])).ToArray();
        var meanY = y.Average();
        var xx = new double[k, k];
        var xy = new double[k];
        var yy = 0.0;
        for (var i = 0; i < n; i++)
        {
            var dy = y[i] - meanY;
            yy += dy * dy;
            for (var a = 0; a < k; a++)
            {
                var da = x[i][a] - meansX[a];
                xy[a] += da * dy;
                for (var b = 0; b <= a; b++) xx[a, b] += da * (x[i][b] - meansX[b]);
            }
        }
        for (var a = 0; a < k; a++)
            for (var b = a + 1; b < k; b++) xx[a, b] = xx[b, a];
        return new CrossProducts(k, meansX, meanY, xx, xy, yy);
    }

    /// <summary>R² of the regression on <paramref name="subset"/> (0 for the empty set or a constant outcome); null when singular.</summary>
    public double? RSquared(int[] subset)
    {
        if (subset.Length == 0 || _yy <= 0) return 0;
        return Solve(subset) is { } beta ? RSquared(beta, subset) : null;
    }

    /// <summary>Explained over total sum of squares: βᵀXᵀy / yᵀy, clamped to 0..1 against rounding.</summary>
    public double RSquared(double[] beta, int[] subset) =>
        _yy <= 0 ? 0 : Math.Clamp(beta.Select((b, j) => b * _xy[subset[j]]).Sum() / _yy, 0, 1);

    /// <summary>Slopes of the regression on <paramref name="subset"/>: the normal equations solved by Cholesky, or null when singular.</summary>
    public double[]? Solve(int[] subset)
    {
        var m = subset.Length;
        var l = new double[m, m];
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = _xx[subset[i], subset[j]];
                for (var p = 0; p < j; p++) sum -= l[i, p] * l[j, p];
                if (i == j)
                {
                    // A pivot that has lost (almost) all of the column's own variance: constant or a combination of the others.
                    if (sum <= Tolerance * Math.Max(_xx[subset[i], subset[i]], double.Epsilon)) return null;
                    l[i, i] = Math.Sqrt(sum);
                }
                else l[i, j] = sum / l[j, j];
            }
        }
        // L z = Xᵀy, then Lᵀ β = z.
        var z = new double[m];
        for (var i = 0; i < m; i++)
        {
            var sum = _xy[subset[i]];
            for (var p = 0; p < i; p++) sum -= l[i, p] * z[p];
            z[i] = sum / l[i, i];
        }
        var beta = new double[m];
        for (var i = m - 1; i >= 0; i--)
        {
            var sum = z[i];
            for (var p = i + 1; p < m; p++) sum -= l[p, i] * beta[p];
            beta[i] = sum / l[i, i];
        }
        return beta;
    }
}
