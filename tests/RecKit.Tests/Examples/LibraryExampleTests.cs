using System.Diagnostics;

namespace RecKit.Tests.Examples;

/// <summary>examples/LibraryQuickstart, built with the tests, runs against the bundled data and does what it says.</summary>
public class LibraryExampleTests
{
    [Fact]
    public void TheQuickstart_LoadsSplitsTrainsEvaluatesRecommendsSavesAndLoads()
    {
        // The test assembly's own output folder names the configuration and framework the example was built with.
        var build = Path.GetRelativePath(Path.Combine(TestData.RepoRoot, "tests", "RecKit.Tests", "bin"), AppContext.BaseDirectory);
        var dll = Path.Combine(TestData.RepoRoot, "examples", "LibraryQuickstart", "bin", build, "LibraryQuickstart.dll");
        Assert.True(File.Exists(dll), $"{dll} was not built");
        var output = Directory.CreateTempSubdirectory("reckit-example-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[] { dll, TestData.LatestSmall, output })
            {
                start.ArgumentList.Add(arg);
            }

            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEnd();
            var stderr = process.StandardError.ReadToEnd();
            Assert.True(process.WaitForExit(120_000), "the example did not finish in 2 minutes");
            Assert.True(process.ExitCode == 0, $"exit {process.ExitCode}\n{stdout}\n{stderr}");
            Assert.Contains("100836 interactions, 610 users, 9724 items", stdout, StringComparison.Ordinal);
            Assert.Matches(@"als: NDCG@10 0\.\d{4}", stdout);
            Assert.Matches(@"itemknn: NDCG@10 0\.\d{4}", stdout);
            Assert.Contains("saved and loaded: same top 5", stdout, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(output, "quickstart-als.model")));
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}
