// Each test class here starts the whole system (nine processes) on a 2-core machine: one at a time keeps both within
// their time limits and keeps the machine usable for the other test assemblies running beside them.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
