using Xunit;

// TorchSharp's default generator (weight init, dropout masks) and its thread count are process-wide:
// two trainings running in parallel test classes would draw from each other's stream and break the
// determinism the resume and same-seed tests check. The trainer is one training per process in
// production; the tests run one at a time to match (on 2 cores torch uses both anyway).
[assembly: CollectionBehavior(CollectionBehavior.CollectionPerAssembly)]
