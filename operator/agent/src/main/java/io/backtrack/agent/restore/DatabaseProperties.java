package io.backtrack.agent.restore;

import io.backtrack.agent.engine.postgres.PgConnections;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What a database is besides its contents, read from pg_database, pg_db_role_setting and pg_shdescription: the
 * owner, encoding, collation, ctype, locale provider and locale, tablespace (fixed when a database is created),
 * and its grants, comment, connection limit and per-database and per-role-in-database settings (which a swap
 * copies onto the restored database just before it takes the live one's place). pg_dump leaves all of this out
 * of an archive made without {@code --create}, so a database restored into a plain {@code CREATE DATABASE}
 * would come back owned by the restoring role, open to every role, without its settings.
 */
record DatabaseProperties(String name, String owner, String encoding, String collate, String ctype,
                          String localeProvider, String locale, String icuRules, String tablespace,
                          int connectionLimit, boolean allowConnections, boolean template, List<Grant> grants,
                          String comment, List<Setting> settings) {

    /** One aclitem of the database's ACL; {@code grantee} null is PUBLIC. Null list: the default ACL. */
    record Grant(String grantee, String grantor, String privilege, boolean grantable) {
    }

    /** {@code ALTER DATABASE … SET} ({@code role} null) or {@code ALTER ROLE role IN DATABASE … SET}. */
    record Setting(String role, List<String> config) {
    }

    /** Variables whose values pg_db_role_setting keeps as a quoted list (pg_dump's variable_is_guc_list_quote). */
    private static final Set<String> LIST_QUOTED = Set.of("local_preload_libraries", "search_path",
            "session_preload_libraries", "shared_preload_libraries", "temp_tablespaces", "unix_socket_directories");

    static DatabaseProperties read(Connection c, String database, int serverVersion) throws SQLException {
        String locale = serverVersion >= 170000 ? "d.datlocale" : serverVersion >= 150000 ? "d.daticulocale" : "NULL";
        String provider = serverVersion >= 150000 ? "d.datlocprovider::text" : "'c'";
        String rules = serverVersion >= 160000 ? "d.daticurules" : "NULL";
        String sql = """
                SELECT r.rolname, pg_catalog.pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, %s, %s, %s,
                       t.spcname, d.datconnlimit, d.datallowconn, d.datistemplate, d.datacl IS NULL,
                       pg_catalog.shobj_description(d.oid, 'pg_database'), d.oid
                  FROM pg_catalog.pg_database d
                  JOIN pg_catalog.pg_roles r ON r.oid = d.datdba
                  JOIN pg_catalog.pg_tablespace t ON t.oid = d.dattablespace
                 WHERE d.datname = ?""".formatted(provider, locale, rules);
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, database);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("database \"" + database + "\" does not exist", "3D000");
                }
                long oid = rs.getLong(14);
                List<Grant> grants = rs.getBoolean(12) ? null : grants(c, oid);
                return new DatabaseProperties(database, rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8),
                        rs.getInt(9), rs.getBoolean(10), rs.getBoolean(11), grants, rs.getString(13),
                        settings(c, oid));
            }
        }
    }

    private static List<Grant> grants(Connection c, long oid) throws SQLException {
        List<Grant> grants = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT CASE WHEN a.grantee = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(a.grantee) END,
                       pg_catalog.pg_get_userbyid(a.grantor), a.privilege_type, a.is_grantable
                  FROM pg_catalog.pg_database d, LATERAL pg_catalog.aclexplode(d.datacl) a
                 WHERE d.oid = ? ORDER BY 1 NULLS FIRST, 2, 3""")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    grants.add(new Grant(rs.getString(1), rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        }
        return grants;
    }

    private static List<Setting> settings(Connection c, long oid) throws SQLException {
        List<Setting> settings = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT CASE WHEN s.setrole = 0 THEN NULL ELSE pg_catalog.pg_get_userbyid(s.setrole) END, s.setconfig
                  FROM pg_catalog.pg_db_role_setting s WHERE s.setdatabase = ? ORDER BY 1 NULLS FIRST""")) {
            ps.setLong(1, oid);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Array config = rs.getArray(2);
                    settings.add(new Setting(rs.getString(1), config == null ? List.of()
                            : List.of((String[]) config.getArray())));
                }
            }
        }
        return settings;
    }

    /**
     * {@code CREATE DATABASE} of an empty database that will be this one: from template0 (a restore needs an empty
     * database, and template1 may hold objects), with the same owner, encoding, collation, ctype, locale provider,
     * locale and tablespace.
     */
    String createSql(String newName) {
        StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(ident(newName))
                .append(" WITH TEMPLATE = template0 OWNER = ").append(ident(owner))
                .append(" ENCODING = ").append(literal(encoding))
                .append(" LC_COLLATE = ").append(literal(collate))
                .append(" LC_CTYPE = ").append(literal(ctype));
        if (localeProvider != null) {
            switch (localeProvider) {
                case "i" -> {
                    sql.append(" LOCALE_PROVIDER = icu");
                    if (locale != null) {
                        sql.append(" ICU_LOCALE = ").append(literal(locale));
                    }
                    if (icuRules != null) {
                        sql.append(" ICU_RULES = ").append(literal(icuRules));
                    }
                }
                case "b" -> {
                    sql.append(" LOCALE_PROVIDER = builtin");
                    if (locale != null) {
                        sql.append(" BUILTIN_LOCALE = ").append(literal(locale));
                    }
                }
                default -> {
                    // libc: LC_COLLATE and LC_CTYPE say it all
                }
            }
        }
        return sql.append(" TABLESPACE = ").append(ident(tablespace)).toString();
    }

    /**
     * What makes {@code target} (created by {@link #createSql}) equal to this database in everything but its name
     * and contents: grants, comment, connection limit, connections allowed, template flag, settings. Run after
     * the restore (settings such as default_transaction_read_only must not apply to the restore itself).
     * Grants made by another role than the current one are made as that role ({@code SET ROLE}), so the grantor
     * is kept where the restoring role may act as it.
     */
    List<String> applySql(String target) {
        String db = ident(target);
        List<String> sql = new ArrayList<>();
        if (grants != null) {
            sql.add("REVOKE ALL ON DATABASE " + db + " FROM PUBLIC");
            sql.add("REVOKE ALL ON DATABASE " + db + " FROM " + ident(owner));
            for (Grant g : grants) {
                String grant = "GRANT " + g.privilege() + " ON DATABASE " + db + " TO "
                        + (g.grantee() == null ? "PUBLIC" : ident(g.grantee()))
                        + (g.grantable() ? " WITH GRANT OPTION" : "");
                if (g.grantor().equals(owner)) {
                    sql.add(grant);
                } else {
                    sql.add("SET ROLE " + ident(g.grantor()));
                    sql.add(grant);
                    sql.add("RESET ROLE");
                }
            }
        }
        // A database created from template0 has no comment, no connection limit and is no template.
        if (comment != null) {
            sql.add("COMMENT ON DATABASE " + db + " IS " + literal(comment));
        }
        if (connectionLimit != -1) {
            sql.add("ALTER DATABASE " + db + " CONNECTION LIMIT " + connectionLimit);
        }
        if (template) {
            sql.add("ALTER DATABASE " + db + " IS_TEMPLATE true");
        }
        for (Setting s : settings) {
            for (String entry : s.config()) {
                int eq = entry.indexOf('=');
                String variable = entry.substring(0, eq);
                String value = entry.substring(eq + 1);
                sql.add((s.role() == null ? "ALTER DATABASE " + db : "ALTER ROLE " + ident(s.role())
                        + " IN DATABASE " + db) + " SET " + ident(variable) + " TO " + valueSql(variable, value));
            }
        }
        return sql;
    }

    /** {@code ALLOW_CONNECTIONS} last of all: the restored database is swapped in only after it. */
    String allowConnectionsSql(String target) {
        return "ALTER DATABASE " + ident(target) + " ALLOW_CONNECTIONS " + allowConnections;
    }

    /** As pg_dump's makeAlterConfigCommand: list variables element by element, others as one literal. */
    static String valueSql(String variable, String value) {
        if (!LIST_QUOTED.contains(variable.toLowerCase(java.util.Locale.ROOT))) {
            return literal(value);
        }
        List<String> elements = splitGucList(value);
        return String.join(", ", elements.stream().map(DatabaseProperties::literal).toList());
    }

    /** PostgreSQL's SplitGUCList: comma-separated, whitespace trimmed, double quotes removed ("" is a quote). */
    static List<String> splitGucList(String value) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int n = value.length();
        while (i < n) {
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            StringBuilder item = new StringBuilder();
            if (i < n && value.charAt(i) == '"') {
                i++;
                while (i < n) {
                    char ch = value.charAt(i);
                    if (ch == '"') {
                        if (i + 1 < n && value.charAt(i + 1) == '"') {
                            item.append('"');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    item.append(ch);
                    i++;
                }
            } else {
                while (i < n && value.charAt(i) != ',' && !Character.isWhitespace(value.charAt(i))) {
                    item.append(value.charAt(i++));
                }
            }
            while (i < n && Character.isWhitespace(value.charAt(i))) {
                i++;
            }
            if (i < n && value.charAt(i) == ',') {
                i++;
            }
            out.add(item.toString());
        }
        return out;
    }

    private static String ident(String name) {
        return PgConnections.quoteIdent(name);
    }

    private static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }
}
