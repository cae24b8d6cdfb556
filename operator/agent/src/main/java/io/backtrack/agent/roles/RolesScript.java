package io.backtrack.agent.roles;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The roles file beside an archive: plain SQL that stock {@code psql -v ON_ERROR_STOP=1 -f} runs, creating each
 * role that does not exist yet, with its attributes (and password hash, when recorded) and its memberships in roles
 * that exist by then. A role that exists is never altered, so running it against a live server changes nothing it
 * already has.
 *
 * <p>Each role is one {@code DO} block after a marker line ({@value #MARKER}, the role's name percent-encoded as a
 * name may hold a line break, and {@value #PRIVILEGED} when only a superuser may create it), groups before their
 * members. The agent runs the blocks of the roles a restore needs and the target lacks, and nothing else.
 */
public final class RolesScript {
    static final String MARKER = "-- backtrack:role ";
    /** On a role's marker line: it has attributes only a superuser may give (SUPERUSER, REPLICATION, BYPASSRLS). */
    private static final String PRIVILEGED = "privileged";
    /** Role names are free text: literals below rely on this, whatever the server's default. */
    private static final String PREAMBLE = "SET standard_conforming_strings = on;\n";

    private final Map<String, String> blocks;
    private final List<String> privileged;
    private final String text;

    private RolesScript(Map<String, String> blocks, List<String> privileged, String text) {
        this.blocks = blocks;
        this.privileged = List.copyOf(privileged);
        this.text = text;
    }

    public static RolesScript of(List<DatabaseRole> roles) {
        Map<String, String> blocks = new LinkedHashMap<>();
        Map<String, String> markers = new LinkedHashMap<>();
        List<String> privileged = new ArrayList<>();
        for (DatabaseRole role : groupsFirst(roles)) {
            blocks.put(role.name(), block(role));
            markers.put(role.name(), MARKER + URLEncoder.encode(role.name(), StandardCharsets.UTF_8)
                    + (role.needsSuperuserToCreate() ? " " + PRIVILEGED : ""));
            if (role.needsSuperuserToCreate()) {
                privileged.add(role.name());
            }
        }
        StringBuilder text = new StringBuilder("""
                -- Roles recorded by Backtrack with this backup: each is created only if it does not exist (an existing
                -- role is never altered). Run with: psql -v ON_ERROR_STOP=1 -d postgres -f <this file>
                """).append(PREAMBLE);
        blocks.forEach((name, block) -> text.append('\n').append(markers.get(name)).append('\n').append(block));
        return new RolesScript(blocks, privileged, text.toString());
    }

    /** Reads a script this class wrote (its SHA-256 checked against the manifest first). */
    public static RolesScript parse(String text) {
        Map<String, String> blocks = new LinkedHashMap<>();
        List<String> privileged = new ArrayList<>();
        String name = null;
        StringBuilder block = new StringBuilder();
        for (String line : text.split("\n", -1)) {
            if (line.startsWith(MARKER)) {
                if (name != null) {
                    blocks.put(name, block.toString());
                }
                String[] marker = line.substring(MARKER.length()).split(" ");
                name = URLDecoder.decode(marker[0], StandardCharsets.UTF_8);
                if (List.of(marker).contains(PRIVILEGED)) {
                    privileged.add(name);
                }
                block.setLength(0);
            } else if (name != null) {
                block.append(line).append('\n');
            }
        }
        if (name != null) {
            blocks.put(name, block.toString().stripTrailing() + "\n");
        }
        return new RolesScript(blocks, privileged, text);
    }

    public Set<String> roles() {
        return blocks.keySet();
    }

    /** Of {@code names}, those the script gives SUPERUSER, REPLICATION or BYPASSRLS (only a superuser may). */
    public List<String> privileged(Set<String> names) {
        return privileged.stream().filter(names::contains).toList();
    }

    /** The SQL creating {@code names} (those the script holds), in the script's order: groups first. */
    public String creating(Set<String> names) {
        StringBuilder sql = new StringBuilder(PREAMBLE);
        blocks.forEach((name, block) -> {
            if (names.contains(name)) {
                sql.append(block);
            }
        });
        return sql.toString();
    }

    public byte[] bytes() {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String block(DatabaseRole r) {
        StringBuilder body = new StringBuilder();
        body.append("  IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ").append(literal(r.name()))
                .append(") THEN\n");
        body.append("    CREATE ROLE ").append(ident(r.name())).append(" WITH")
                .append(r.superuser() ? " SUPERUSER" : " NOSUPERUSER")
                .append(r.inherit() ? " INHERIT" : " NOINHERIT")
                .append(r.createRole() ? " CREATEROLE" : " NOCREATEROLE")
                .append(r.createDb() ? " CREATEDB" : " NOCREATEDB")
                .append(r.login() ? " LOGIN" : " NOLOGIN")
                .append(r.replication() ? " REPLICATION" : " NOREPLICATION")
                .append(r.bypassRls() ? " BYPASSRLS" : " NOBYPASSRLS")
                .append(" CONNECTION LIMIT ").append(r.connectionLimit());
        if (r.validUntil() != null) {
            body.append(" VALID UNTIL ").append(literal(r.validUntil()));
        }
        if (r.password() != null) {
            body.append(" PASSWORD ").append(literal(r.password()));
        }
        body.append(";\n");
        for (DatabaseRole.Membership m : r.memberOf()) {
            // A group the target lacks and this run does not create is left out, not an error: the role still owns
            // and holds what it did; the membership is a grant a person can add.
            body.append("    IF EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = ").append(literal(m.role()))
                    .append(") THEN\n      GRANT ").append(ident(m.role())).append(" TO ")
                    .append(ident(r.name())).append(m.adminOption() ? " WITH ADMIN OPTION" : "")
                    .append(";\n    END IF;\n");
        }
        body.append("  END IF;\n");
        String tag = dollarTag(body.toString());
        return "DO " + tag + "\nBEGIN\n" + body + "END\n" + tag + ";\n";
    }

    /** A dollar-quote tag the body does not contain (a role name could hold any text). */
    private static String dollarTag(String body) {
        String tag = "$role$";
        for (int i = 1; body.contains(tag); i++) {
            tag = "$role" + i + "$";
        }
        return tag;
    }

    /**
     * A string literal. A name holding a control character (a line break could forge a marker line) is written
     * with Unicode escapes instead, so every line of the script is one the script made.
     */
    static String literal(String value) {
        return quoted(value, '\'');
    }

    static String ident(String name) {
        return quoted(name, '"');
    }

    private static String quoted(String value, char quote) {
        String q = String.valueOf(quote);
        if (value.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            return q + value.replace(q, q + q) + q;
        }
        StringBuilder out = new StringBuilder("U&").append(quote);
        value.chars().forEach(ch -> {
            if (ch < 0x20 || ch == 0x7f) {
                out.append(String.format("\\%04x", ch));
            } else if (ch == '\\') {
                out.append("\\\\");
            } else if (ch == quote) {
                out.append(quote).append(quote);
            } else {
                out.append((char) ch);
            }
        });
        return out.append(quote).toString();
    }

    /** Groups before their members (PostgreSQL allows no membership cycles); otherwise by name. */
    private static List<DatabaseRole> groupsFirst(List<DatabaseRole> roles) {
        Map<String, DatabaseRole> byName = new LinkedHashMap<>();
        roles.forEach(r -> byName.put(r.name(), r));
        Set<String> placed = new LinkedHashSet<>();
        Map<String, Boolean> visiting = new HashMap<>();
        for (DatabaseRole r : byName.values()) {
            place(r, byName, placed, visiting);
        }
        List<DatabaseRole> ordered = new ArrayList<>();
        placed.forEach(n -> ordered.add(byName.get(n)));
        return ordered;
    }

    private static void place(DatabaseRole r, Map<String, DatabaseRole> byName, Set<String> placed,
                              Map<String, Boolean> visiting) {
        if (placed.contains(r.name()) || visiting.containsKey(r.name())) {
            return;
        }
        visiting.put(r.name(), true);
        for (DatabaseRole.Membership m : r.memberOf()) {
            DatabaseRole group = byName.get(m.role());
            if (group != null) {
                place(group, byName, placed, visiting);
            }
        }
        placed.add(r.name());
    }
}
