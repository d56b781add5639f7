using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.Orchestration;

/// <summary>Start and stop order: WaitFor edges must not cycle; stop goes dependents-first over WaitFor and Reference edges.</summary>
internal static class DependencyOrder
{
    public static void ThrowOnWaitCycle(IReadOnlyList<IResource> resources)
    {
        var done = new HashSet<IResource>();
        var path = new List<IResource>();
        foreach (var resource in resources)
        {
            Visit(resource);
        }

        void Visit(IResource resource)
        {
            if (done.Contains(resource))
            {
                return;
            }
            var index = path.IndexOf(resource);
            if (index >= 0)
            {
                throw new DistributedApplicationException($"WaitFor cycle: {string.Join(" -> ", path.Skip(index).Append(resource).Select(r => r.Name))}; nothing in it could ever start.");
            }
            path.Add(resource);
            foreach (var wait in resource.Annotations.OfType<WaitAnnotation>())
            {
                Visit(wait.Resource);
            }
            path.RemoveAt(path.Count - 1);
            done.Add(resource);
        }
    }

    /// <summary>
    /// Groups resources for stopping: stopping the groups in order stops dependents before their dependencies. WaitFor
    /// edges always count (they cannot cycle); a Reference edge is left out when it would close a cycle (two services
    /// calling each other), so the WaitFor direction wins.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<IResource>> StopGroups(IReadOnlyList<IResource> resources)
    {
        var dependencies = resources.ToDictionary(r => r, r => r.Annotations.OfType<WaitAnnotation>().Select(w => w.Resource).Where(resources.Contains).ToHashSet());
        foreach (var resource in resources)
        {
            foreach (var reference in resource.Annotations.OfType<ResourceRelationshipAnnotation>().Where(a => a.Type == "Reference" && resources.Contains(a.Resource)))
            {
                if (!Reaches(reference.Resource, resource))
                {
                    dependencies[resource].Add(reference.Resource);
                }
            }
        }
        var depth = new Dictionary<IResource, int>();
        return [.. resources.GroupBy(Depth).OrderByDescending(g => g.Key).Select(g => (IReadOnlyList<IResource>)[.. g])];

        bool Reaches(IResource from, IResource to) => from == to || dependencies[from].Any(next => Reaches(next, to));

        int Depth(IResource resource) =>
            depth.TryGetValue(resource, out var known) ? known : depth[resource] = dependencies[resource].Select(Depth).DefaultIfEmpty(-1).Max() + 1;
    }
}
