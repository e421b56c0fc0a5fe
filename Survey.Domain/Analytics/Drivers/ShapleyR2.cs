namespace Survey.Domain.Analytics.Drivers;

/// <summary>The R² of the full regression and each predictor's Shapley share of it; the shares add up to R².</summary>
public sealed record ShapleyDecomposition(double RSquared, IReadOnlyList<double> Contributions);

/// <summary>
/// Shapley (LMG) decomposition of R²: a predictor's contribution is its gain in R² when it joins a subset of the others, averaged over
/// every order in which the predictors could be added, φᵢ = Σ over S not containing i of |S|!(k−|S|−1)!/k! · (R²(S∪{i}) − R²(S)).
/// It needs the R² of all 2ᵏ subsets, which is why drivers use it for k ≤ 8 only. Contributions are never negative (R² never falls
/// when a predictor is added), and for uncorrelated predictors each equals its squared correlation with the outcome.
/// </summary>
public static class ShapleyR2
{
    public const int MaxPredictors = 8;

    /// <summary>The decomposition, or null when the predictors are constant or linearly dependent.</summary>
    public static ShapleyDecomposition? Decompose(IReadOnlyList<IReadOnlyList<double>> x, IReadOnlyList<double> y)
    {
        var data = CrossProducts.Of(x, y);
        var k = data.K;
        if (k > MaxPredictors) throw new ArgumentException($"Shapley decomposition takes at most {MaxPredictors} predictors; got {k}.", nameof(x));

        var rSquared = new double[1 << k];
        for (var mask = 1; mask < rSquared.Length; mask++)
        {
            var subset = Enumerable.Range(0, k).Where(j => (mask & (1 << j)) != 0).ToArray();
            if (data.RSquared(subset) is not { } r2) return null;
            rSquared[mask] = r2;
        }

        var factorial = new double[k + 1];
        factorial[0] = 1;
        for (var i = 1; i <= k; i++) factorial[i] = factorial[i - 1] * i;

        var contributions = new double[k];
        for (var i = 0; i < k; i++)
            for (var mask = 0; mask < rSquared.Length; mask++)
            {
                if ((mask & (1 << i)) != 0) continue;
                var size = System.Numerics.BitOperations.PopCount((uint)mask);
                var weight = factorial[size] * factorial[k - size - 1] / factorial[k];
                contributions[i] += weight * (rSquared[mask | (1 << i)] - rSquared[mask]);
            }
        return new ShapleyDecomposition(rSquared[^1], contributions);
    }
}
