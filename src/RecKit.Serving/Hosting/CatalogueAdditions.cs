using System.Collections.Concurrent;
using RecKit.Data;

namespace RecKit.Serving;

/// <summary>
/// Items added to (or updated in) the catalogue through the service since the bundles were built, as every answer
/// sees them: loaded from the store at start, changed by PUT /v1/items/{id}. For each serving bundle they are encoded
/// once into its item feature columns (<see cref="View"/>, rebuilt only when an item, an item's state or the bundle
/// changes), so the models that score from features (content, two-tower) rank them beside the bundle's items at once.
/// Also remembered: which users interacted with an added item the bundle does not hold, so it is never recommended back
/// to them (the bundle's own items are excluded by the live state).
/// </summary>
public sealed class CatalogueAdditions
{
    private readonly object _gate = new();
    private readonly List<FeatureRow> _rows = [];
    private readonly Dictionary<string, int> _position = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<int, byte>> _seen = new(StringComparer.Ordinal);
    private volatile AddedItemsView? _view;
    private long _version;
    private volatile int _count;

    public CatalogueAdditions(IReadOnlyList<FeatureRow> stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        foreach (var row in stored)
        {
            Set(row);
        }
    }

    /// <summary>Items added or updated, in the order first stored.</summary>
    public int Count => _count;

    /// <summary>The stored row of an item added or updated through the service, or null.</summary>
    public FeatureRow? Find(string item)
    {
        lock (_gate)
        {
            return _position.TryGetValue(item, out var at) ? _rows[at] : null;
        }
    }

    /// <summary>The item's row in every <see cref="AddedItemsView"/> built since it was added (rows only ever append), or −1.</summary>
    public int RowOf(string item)
    {
        lock (_gate)
        {
            return _position.TryGetValue(item, out var at) ? at : -1;
        }
    }

    /// <summary>Adds the item or replaces its row (it keeps its position).</summary>
    public void Set(FeatureRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        lock (_gate)
        {
            if (_position.TryGetValue(row.Id, out var at))
            {
                _rows[at] = row;
            }
            else
            {
                _position[row.Id] = _rows.Count;
                _rows.Add(row);
                _count = _rows.Count;
            }

            Volatile.Write(ref _version, _version + 1);
        }
    }

    /// <summary>Records that <paramref name="user"/> interacted with <paramref name="item"/> (ignored unless it is an added item).</summary>
    public void Interacted(string user, string item)
    {
        int at;
        lock (_gate)
        {
            if (!_position.TryGetValue(item, out at))
            {
                return;
            }
        }

        _seen.GetOrAdd(user, _ => new ConcurrentDictionary<int, byte>())[at] = 0;
    }

    /// <summary>Forgets what the user interacted with (erasure), or rebuilds it from their stored rows (an interaction deleted).</summary>
    public void Reset(string user, IEnumerable<StoredInteraction>? stored = null)
    {
        _seen.TryRemove(user, out _);
        foreach (var x in stored ?? [])
        {
            Interacted(user, x.Item);
        }
    }

    /// <summary>
    /// The added items a request on <paramref name="bundle"/> may rank, or null when there are none it can score:
    /// not held by the bundle, visible, encodable in its item columns, not interacted with by <paramref name="user"/>,
    /// and carrying <paramref name="label"/> when one is asked for.
    /// </summary>
    public NewCandidates? For(ServingBundle bundle, CatalogueOverrides overrides, string? user, string? label)
    {
        if (_count == 0)
        {
            return null;
        }

        var view = View(bundle, overrides);
        if (view.Shown == 0)
        {
            return null;
        }

        var seen = user is not null && _seen.TryGetValue(user, out var s) && !s.IsEmpty ? s : null;
        if (label is not null && !view.AnyCarries(label))
        {
            return null;
        }

        return new NewCandidates(view.Features, bundle.Items.Count, row =>
            view.Visible[row] && (seen is null || !seen.ContainsKey(row)) && (label is null || view.Carries(row, label)));
    }

    /// <summary>The additions encoded for <paramref name="bundle"/> (cached until an item, a state or the bundle changes).</summary>
    public AddedItemsView View(ServingBundle bundle, CatalogueOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(overrides);
        var states = overrides.Version;
        var view = _view;
        if (view is not null && view.Bundle == bundle && view.Version == Volatile.Read(ref _version) && view.States == states)
        {
            return view; // the request path: no lock
        }

        lock (_gate)
        {
            _view = view = AddedItemsView.Build(bundle, overrides, [.. _rows], _version, states);
        }

        return view;
    }
}

/// <summary>
/// The catalogue's additions encoded for one serving bundle: row j is the j-th added item (its features in the
/// bundle's item columns: empty when the bundle has no item features, or for an item the bundle holds), whether it
/// may be shown, its labels, and the feature values the bundle has no column for yet.
/// </summary>
public sealed class AddedItemsView
{
    private AddedItemsView(ServingBundle bundle, long version, long states, IReadOnlyList<FeatureRow> rows, CsrMatrix features, bool[] visible, List<string>[] labels, List<string>[] unknown)
    {
        Bundle = bundle;
        Version = version;
        States = states;
        Rows = rows;
        Features = features;
        Visible = visible;
        Labels = labels;
        _answersTo = Array.ConvertAll(labels, l => l.SelectMany(ServingBundle.Names).ToHashSet(StringComparer.OrdinalIgnoreCase));
        _anyAnswersTo = _answersTo.SelectMany(a => a).ToHashSet(StringComparer.OrdinalIgnoreCase);
        Unknown = unknown;
        Shown = visible.Count(v => v);
    }

    public ServingBundle Bundle { get; }

    public long Version { get; }

    public long States { get; }

    public IReadOnlyList<FeatureRow> Rows { get; }

    public CsrMatrix Features { get; }

    /// <summary>Rows that may be ranked: not in the bundle, visible, with at least one feature the bundle's models know.</summary>
    public bool[] Visible { get; }

    public int Shown { get; }

    private readonly HashSet<string>[] _answersTo;
    private readonly HashSet<string> _anyAnswersTo;

    /// <summary>Each row's label names ("genre=Rock"), as the bundle's items list theirs.</summary>
    public List<string>[] Labels { get; }

    /// <summary>Whether the row carries <paramref name="label"/> (its full name or its value, case-insensitive), as the bundle's label filter reads labels.</summary>
    public bool Carries(int row, string label) => _answersTo[row].Contains(label);

    /// <summary>Whether any row carries <paramref name="label"/>.</summary>
    public bool AnyCarries(string label) => _anyAnswersTo.Contains(label);

    /// <summary>Each row's features that have no column in the bundle (values its training data never held).</summary>
    public List<string>[] Unknown { get; }

    internal static AddedItemsView Build(ServingBundle bundle, CatalogueOverrides overrides, IReadOnlyList<FeatureRow> rows, long version, long states)
    {
        var schema = bundle.ItemSchema;
        var width = schema?.Columns.Count ?? 0;
        var pointers = new int[rows.Count + 1];
        var columns = new List<int>();
        var values = new List<float>();
        var visible = new bool[rows.Count];
        var unknown = new List<string>[rows.Count];
        var labels = new List<string>[rows.Count];
        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            unknown[r] = [];
            labels[r] = [];
            var inBundle = bundle.Items.TryGetIndex(row.Id, out _);
            if (schema is not null && !inBundle)
            {
                var fields = FeatureEncoder.Lookup(row.Fields);
                try
                {
                    var (cols, vals, missing) = schema.Encode(fields);
                    columns.AddRange(cols);
                    values.AddRange(vals);
                    unknown[r] = missing;
                    visible[r] = cols.Length > 0 && overrides.StateOf(row.Id) == ItemState.Visible;
                }
                catch (FormatException)
                {
                    // Checked when the item was put; a row stored by an older schema that no longer encodes stays out.
                }

                labels[r] = schema.Encoder.LabelsOf(fields);
            }

            pointers[r + 1] = columns.Count;
        }

        var features = new CsrMatrix(rows.Count, width, pointers, [.. columns], [.. values]);
        return new AddedItemsView(bundle, version, states, rows, features, visible, labels, unknown);
    }
}
