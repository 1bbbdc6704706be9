namespace MemScan.Scanner.Metrics;

/// <summary>Derivative-free minimisation (Nelder–Mead simplex), enough for 2–4 parameter fits.</summary>
public static class NelderMead
{
    public static double[] Minimize(Func<double[], double> f, double[] start, double[] step, int maxIterations = 4000, double tolerance = 1e-10)
    {
        int n = start.Length;
        var simplex = new double[n + 1][];
        var values = new double[n + 1];
        for (int i = 0; i <= n; i++)
        {
            simplex[i] = (double[])start.Clone();
            if (i > 0) simplex[i][i - 1] += step[i - 1];
            values[i] = f(simplex[i]);
        }
        for (int iter = 0; iter < maxIterations; iter++)
        {
            var order = Enumerable.Range(0, n + 1).OrderBy(i => values[i]).ToArray();
            simplex = order.Select(i => simplex[i]).ToArray();
            values = order.Select(i => values[i]).ToArray();
            if (Math.Abs(values[n] - values[0]) <= tolerance * (Math.Abs(values[0]) + tolerance)) break;

            var centroid = new double[n];
            for (int i = 0; i < n; i++)
                for (int d = 0; d < n; d++) centroid[d] += simplex[i][d] / n;
            double[] Along(double t) => centroid.Select((c, d) => c + t * (simplex[n][d] - c)).ToArray();

            var reflected = Along(-1);
            double fr = f(reflected);
            if (fr < values[0])
            {
                var expanded = Along(-2);
                double fe = f(expanded);
                (simplex[n], values[n]) = fe < fr ? (expanded, fe) : (reflected, fr);
            }
            else if (fr < values[n - 1])
            {
                (simplex[n], values[n]) = (reflected, fr);
            }
            else
            {
                var contracted = fr < values[n] ? Along(-0.5) : Along(0.5);
                double fc = f(contracted);
                if (fc < Math.Min(fr, values[n]))
                {
                    (simplex[n], values[n]) = (contracted, fc);
                }
                else
                {
                    for (int i = 1; i <= n; i++)
                    {
                        simplex[i] = simplex[i].Select((v, d) => simplex[0][d] + 0.5 * (v - simplex[0][d])).ToArray();
                        values[i] = f(simplex[i]);
                    }
                }
            }
        }
        int best = Array.IndexOf(values, values.Min());
        return simplex[best];
    }
}
