package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.ArchiveToc;
import io.backtrack.agent.engine.postgres.PgTarget;
import io.backtrack.agent.engine.postgres.ToolErrors;
import io.backtrack.agent.log.StructuredLog;
import io.backtrack.agent.manifest.Manifest;
import io.backtrack.agent.manifest.ManifestRoles;
import io.backtrack.agent.result.AgentFailure;
import io.backtrack.agent.roles.RoleCatalog;
import io.backtrack.agent.roles.RolesFile;
import io.backtrack.agent.roles.RolesScript;
import io.backtrack.agent.storage.ObjectStore;
import io.backtrack.contract.result.Reason;
import io.backtrack.contract.wire.RolesPolicy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The roles a restore needs on its target server, found before anything is touched, and created when asked.
 *
 * <p>Needed are the owners of what is restored (as the archive's table of contents names them; none with
 * {@code --no-owner}) and the roles the backup's grants name (from its manifest; every grant of the backup, as the
 * manifest does not say which object each belongs to). Neither for a data-only restore, which restores no ownership
 * or grants. A role the target lacks is a refusal naming it (RolesMissing), unless the policy is createMissing: then
 * the backup's roles file (its SHA-256 checked against the manifest) creates exactly the missing roles, in one
 * transaction, before the restore; an existing role is never altered.
 */
final class RoleProvision {
    private final Manifest manifest;
    private final ArchiveToc toc;
    private final RestoreSelection.Resolved scope;
    private final RestoreRequest request;

    RoleProvision(Manifest manifest, ArchiveToc toc, RestoreSelection.Resolved scope, RestoreRequest request) {
        this.manifest = manifest;
        this.toc = toc;
        this.scope = scope;
        this.request = request;
    }

    /**
     * What this restore will create: the missing roles and the checked roles file they come from.
     *
     * @param script null when no role is missing
     */
    record Plan(List<String> missing, RolesScript script) {
        static final Plan NOTHING = new Plan(List.of(), null);
    }

    /** The roles this restore will create (none: {@link Plan#NOTHING}); refuses what cannot work. Touches nothing. */
    Plan check(DatabaseAdmin admin, ObjectStore store) {
        Set<String> missing = missing(admin.connection());
        if (missing.isEmpty()) {
            return Plan.NOTHING;
        }
        PgTarget target = request.target();
        String names = String.join(", ", missing);
        if (request.roles() == RolesPolicy.SKIP) {
            throw new AgentFailure(Reason.RolesMissing, "role(s) " + names + " do not exist on " + target.address()
                    + ", and the restored objects are owned by or granted to them; create them, or restore with "
                    + "roles createMissing to create them from the backup's roles file"
                    + (request.noOwner() ? "" : ", or with noOwner if they only own objects"));
        }
        ManifestRoles recorded = manifest.roles();
        if (recorded == null) {
            throw new AgentFailure(Reason.RolesMissing, "role(s) " + names + " do not exist on " + target.address()
                    + " and this backup records no roles (it was made before Backtrack recorded them); create them "
                    + "first" + (request.noOwner() ? "" : ", or restore with noOwner if they only own objects"));
        }
        RolesScript script = RolesFile.read(store, recorded, request.identity(), manifest.recipients());
        Set<String> unknown = new TreeSet<>(missing);
        unknown.removeAll(script.roles());
        if (!unknown.isEmpty()) {
            throw new AgentFailure(Reason.RolesMissing, "role(s) " + String.join(", ", unknown) + " do not exist on "
                    + target.address() + " and are not in the backup's roles file (built-in roles of the source "
                    + "server are never recorded); create them first"
                    + (request.noOwner() ? "" : ", or restore with noOwner if they only own objects"));
        }
        RoleCatalog.Privileges may = RoleCatalog.privileges(admin.connection());
        if (!may.createRole()) {
            throw new AgentFailure(Reason.RolesMissing, "role(s) " + names + " do not exist on " + target.address()
                    + " and user \"" + target.username() + "\" may not create roles (needs CREATEROLE or superuser); "
                    + "create them first or restore as a user who may");
        }
        if (!may.superuser()) {
            List<String> privileged = script.privileged(missing);
            if (!privileged.isEmpty()) {
                throw new AgentFailure(Reason.RolesMissing, "role(s) " + String.join(", ", privileged) + " had "
                        + "SUPERUSER, REPLICATION or BYPASSRLS on the source server, which only a superuser may give; "
                        + "user \"" + target.username() + "\" is not one: create them first or restore as a superuser");
            }
        }
        return new Plan(List.copyOf(missing), script);
    }

    /**
     * Creates the roles of a {@link #check}'s plan that are still missing, all or none; returns their names (empty:
     * none were missing).
     */
    List<String> create(DatabaseAdmin admin, Plan plan) {
        Connection c = admin.connection();
        Set<String> stillMissing = new TreeSet<>(plan.missing());
        stillMissing.retainAll(missing(c)); // created meanwhile by someone else: never altered
        List<String> missing = List.copyOf(stillMissing);
        if (missing.isEmpty()) {
            return missing;
        }
        String sql = plan.script().creating(stillMissing);
        try {
            c.setAutoCommit(false);
            try (Statement st = c.createStatement()) {
                st.execute(sql);
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new AgentFailure(Reason.RestoreFailed, "cannot create role(s) " + String.join(", ", missing)
                    + " on " + request.target().address() + " (none was created): " + ToolErrors.of(e), e);
        }
        Set<String> still = new TreeSet<>(missing);
        still.retainAll(missing(c));
        if (!still.isEmpty()) {
            throw new AgentFailure(Reason.RestoreFailed, "role(s) " + String.join(", ", still) + " still do not exist "
                    + "on " + request.target().address() + " after running the backup's roles file");
        }
        StructuredLog.info("restore.roles-created", "server", request.target().address(), "roles", missing);
        return missing;
    }

    private Set<String> missing(Connection c) {
        Set<String> needed = needed();
        needed.removeAll(RoleCatalog.existing(c));
        return needed;
    }

    private Set<String> needed() {
        Set<String> needed = new TreeSet<>();
        if (request.scope().dataOnly()) {
            return needed;
        }
        if (!request.noOwner()) {
            for (ArchiveToc.Entry e : toc.entries()) {
                if (!e.owner().isEmpty() && (scope.wholeArchive() || scope.entries().contains(e.dumpId()))) {
                    needed.add(e.owner());
                }
            }
        }
        if (manifest.roles() != null) {
            needed.addAll(manifest.roles().granted());
        }
        return needed;
    }
}
