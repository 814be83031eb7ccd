using System.Diagnostics;
using System.Globalization;
using RecKit;
using RecKit.Serving;

using RecKit.Bundles;

using RecKit.Models;

namespace RecKit.Bench;

/// <summary>
/// In-process cost of answering one request, per variant of a bundle (no HTTP): random known users, one thread,
/// after a warm-up; and for the stack, the cost of each base model's part (whole catalogue for candidate sources,
/// the candidates alone for the others). Args: BUNDLE-ROOT [REQUESTS].
/// </summary>
internal static class ServingBench
{
    public static int Run(string[] args)
    {
        var bundle = ServingBundle.Load(CurrentBundle.Folder(args));
        var requests = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2000;
        var random = new Random(42);
        var users = Enumerable.Range(0, requests).Select(_ => random.Next(bundle.Users.Count)).ToArray();
        foreach (var variant in bundle.Variants.Order(StringComparer.Ordinal))
        {
            var ranker = bundle.Ranker(variant);
            foreach (var u in users.Take(200))
            {
                ranker.Recommend(BundleRecommendations.Known(bundle, u), 10);
            }

            var clock = Stopwatch.StartNew();
            foreach (var u in users)
            {
                ranker.Recommend(BundleRecommendations.Known(bundle, u), 10);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{variant,-16} {clock.Elapsed.TotalMilliseconds * 1000 / requests,8:F0} µs per request ({ranker.Kind})"));
        }

        // Each base model's part of a stack request: the candidates alone (150 random items) for a known user.
        var candidates = Enumerable.Range(0, 150).Select(_ => random.Next(bundle.Items.Count)).Distinct().Order().ToArray();
        var values = new float[candidates.Length];
        var scratch = new float[bundle.Items.Count];
        foreach (var entry in bundle.Manifest.Models)
        {
            var scorer = LiveScorer.Bind(entry.Name, RecKit.Models.ModelFile.Load(Path.Combine(bundle.Folder, entry.File)).Model, entry.Options);
            var clock = Stopwatch.StartNew();
            foreach (var u in users)
            {
                scorer.ScoreCandidates(BundleRecommendations.Known(bundle, u), candidates, values, scratch);
            }

            var candidatesCost = clock.Elapsed.TotalMilliseconds * 1000 / requests;
            clock.Restart();
            foreach (var u in users)
            {
                scorer.ScoreAll(BundleRecommendations.Known(bundle, u), scratch);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {entry.Name,-12} {candidates.Length} candidates {candidatesCost,7:F0} µs; whole catalogue {clock.Elapsed.TotalMilliseconds * 1000 / requests,7:F0} µs"));
        }

        return 0;
    }
}
