using System.CommandLine;
using System.Globalization;
using RecKit.Models;
using RecKit.Persistence;
using Spectre.Console;

namespace RecKit.Cli.Commands;

/// <summary>`reckit similar-items --model FILE --item ID --n 10`: the items a model finds most like one item.</summary>
internal static class SimilarItemsCommand
{
    public static Command Create()
    {
        var modelPath = new Option<string>("--model") { Description = "Saved model file.", Required = true };
        var item = new Option<string>("--item") { Description = "Item id.", Required = true };
        var n = new Option<int>("--n") { Description = "How many similar items.", DefaultValueFactory = _ => 10 }.AtLeast(1);
        var command = new Command("similar-items", "Items most similar to an item, from a saved model that knows item similarity.") { modelPath, item, n };
        command.SetAction(parse => CommandRunner.Run(() =>
        {
            var saved = ModelFile.Load(parse.GetValue(modelPath)!);
            if (saved.Model is not ISimilarItems similar)
            {
                throw new ArgumentException($"A {saved.Model.GetType().Name} does not know item similarity; use an item-kNN or factor model.");
            }

            var id = parse.GetValue(item)!;
            if (!saved.Items.TryGetIndex(id, out var index))
            {
                throw new ArgumentException($"Unknown item '{id}'.");
            }

            var (items, similarities) = similar.SimilarItems(index, parse.GetValue(n));
            var titles = ItemTitles.FromMetadata(saved);
            var table = new Table().Title(Markup.Escape($"items like {ItemTitles.Describe(titles, saved.Items, index)}")).AddColumn("rank").AddColumn("item").AddColumn(new TableColumn("similarity").RightAligned());
            for (var j = 0; j < items.Length; j++)
            {
                table.AddRow((j + 1).ToString(CultureInfo.InvariantCulture), Markup.Escape(ItemTitles.Describe(titles, saved.Items, items[j])), similarities[j].ToString("F4", CultureInfo.InvariantCulture));
            }

            CommandRunner.Out.Write(table);
            return 0;
        }));
        return command;
    }
}
