/**
 * What crosses the Job boundary between the operator and the agent, defined once. The operator builds a Job's
 * arguments with {@link io.backtrack.contract.args.AgentArgs} from the flag names in
 * {@link io.backtrack.contract.args.AgentFlags}; the agent declares its options with the same constants. The values
 * those flags take, with their ranges and defaults, are the enums in {@code wire}; the one line of JSON the agent
 * answers with is a typed record in {@code result}, written and read by {@link io.backtrack.contract.result.ResultLine}.
 * Both sides name a backup's objects with {@link io.backtrack.contract.layout.BackupFolder}, fit database names
 * with {@link io.backtrack.contract.names.DatabaseNames} and read durations with
 * {@link io.backtrack.contract.durations.Durations}.
 *
 * <p>Plain Java and Jackson only: no Kubernetes client, no Quarkus, no picocli. Packages depend on each other one
 * way (args → layout → wire; result → wire), never in a loop.
 */
package io.backtrack.contract;
