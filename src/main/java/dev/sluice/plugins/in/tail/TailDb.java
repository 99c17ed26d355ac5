package dev.sluice.plugins.in.tail;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The offsets database, Fluent Bit's {@code in_tail_files} table in SQLite, so that a database
 * written by Fluent Bit keeps its offsets and the other way round:
 *
 * <pre>
 * CREATE TABLE IF NOT EXISTS in_tail_files (id INTEGER PRIMARY KEY, name TEXT NOT NULL,
 *     offset INTEGER, inode INTEGER, created INTEGER, rotated INTEGER DEFAULT 0);
 * ALTER TABLE in_tail_files ADD COLUMN offset_marker INTEGER DEFAULT 0;       -- 5.x
 * ALTER TABLE in_tail_files ADD COLUMN offset_marker_size INTEGER DEFAULT 0;  -- 5.x
 * </pre>
 *
 * Rows are looked up by inode (newest id first), and by name too with
 * {@code db.compare_filename}. Pragmas: {@code synchronous} from {@code db.sync},
 * {@code locking_mode=EXCLUSIVE} with {@code db.locking}, {@code journal_mode} from
 * {@code db.journal_mode}. Used by the collector thread only.
 */
final class TailDb implements AutoCloseable {

	/** One row: {@code id, name, offset, inode}. */
	record Row(long id, String name, long offset, long inode) {
	}

	private static final List<String> JOURNAL_MODES = List.of("DELETE", "TRUNCATE", "PERSIST", "MEMORY", "WAL", "OFF");

	private final Connection conn;

	private final PreparedStatement get;

	private final PreparedStatement insert;

	private final PreparedStatement offset;

	private final PreparedStatement rotate;

	private final PreparedStatement delete;

	private TailDb(Connection conn) throws SQLException {
		this.conn = conn;
		this.get = conn.prepareStatement("SELECT id, name, offset, inode FROM in_tail_files WHERE inode=? ORDER BY id DESC");
		this.insert = conn.prepareStatement("INSERT INTO in_tail_files (name, offset, inode, created, offset_marker, offset_marker_size)"
				+ " VALUES (?, ?, ?, ?, 0, 0)", Statement.RETURN_GENERATED_KEYS);
		this.offset = conn.prepareStatement(
				"UPDATE in_tail_files set offset=?, offset_marker=0, offset_marker_size=0 WHERE id=?");
		this.rotate = conn.prepareStatement("UPDATE in_tail_files set name=?,rotated=1 WHERE id=?");
		this.delete = conn.prepareStatement("DELETE FROM in_tail_files WHERE id=?");
	}

	/** {@code db.sync} as SQLite's {@code synchronous} level; -1 when invalid. */
	static int syncLevel(String v) {
		return switch (v.toLowerCase(Locale.ROOT)) {
			case "extra" -> 3;
			case "full" -> 2;
			case "normal" -> 1;
			case "off" -> 0;
			default -> -1;
		};
	}

	static boolean validJournalMode(String v) {
		return JOURNAL_MODES.contains(v.toUpperCase(Locale.ROOT));
	}

	static TailDb open(String path, int sync, boolean locking, String journalMode) throws SQLException {
		Connection c = DriverManager.getConnection("jdbc:sqlite:" + path);
		try {
			try (Statement s = c.createStatement()) {
				s.execute("CREATE TABLE IF NOT EXISTS in_tail_files ("
						+ "  id      INTEGER PRIMARY KEY,"
						+ "  name    TEXT NOT NULL,"
						+ "  offset  INTEGER,"
						+ "  inode   INTEGER,"
						+ "  created INTEGER,"
						+ "  rotated INTEGER DEFAULT 0"
						+ ");");
				s.execute("PRAGMA synchronous=" + sync + ";");
				if (locking) {
					s.execute("PRAGMA locking_mode=EXCLUSIVE;");
				}
				if (journalMode != null) {
					s.execute("PRAGMA journal_mode=" + journalMode.toUpperCase(Locale.ROOT) + ";");
				}
				migrate(s, "ALTER TABLE in_tail_files ADD COLUMN offset_marker INTEGER DEFAULT 0;");
				migrate(s, "ALTER TABLE in_tail_files ADD COLUMN offset_marker_size INTEGER DEFAULT 0;");
			}
			return new TailDb(c);
		}
		catch (SQLException ex) {
			c.close();
			throw ex;
		}
	}

	private static void migrate(Statement s, String sql) throws SQLException {
		try {
			s.execute(sql);
		}
		catch (SQLException ex) {
			String m = String.valueOf(ex.getMessage());
			if (!m.contains("duplicate column name") && !m.contains("already exists")) {
				throw ex;
			}
		}
	}

	/** The newest row for the inode, or null. */
	Row find(long inode) throws SQLException {
		this.get.setLong(1, inode);
		try (ResultSet rs = this.get.executeQuery()) {
			if (rs.next()) {
				return new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4));
			}
			return null;
		}
	}

	long insert(String name, long off, long inode) throws SQLException {
		this.insert.setString(1, name);
		this.insert.setLong(2, off);
		this.insert.setLong(3, inode);
		this.insert.setLong(4, System.currentTimeMillis() / 1000);
		this.insert.executeUpdate();
		try (ResultSet rs = this.insert.getGeneratedKeys()) {
			return rs.next() ? rs.getLong(1) : -1;
		}
	}

	/** Stores the offset; re-inserts the row when someone deleted it (as Fluent Bit does). */
	long updateOffset(long id, String name, long off, long inode) throws SQLException {
		this.offset.setLong(1, off);
		this.offset.setLong(2, id);
		if (this.offset.executeUpdate() == 0) {
			return insert(name, off, inode);
		}
		return id;
	}

	void rotate(long id, String newName) throws SQLException {
		this.rotate.setString(1, newName);
		this.rotate.setLong(2, id);
		this.rotate.executeUpdate();
	}

	void delete(long id) throws SQLException {
		this.delete.setLong(1, id);
		this.delete.executeUpdate();
	}

	/** Every row, for the start-up purge of stale entries. */
	List<Row> all() throws SQLException {
		List<Row> rows = new ArrayList<>();
		try (Statement s = this.conn.createStatement();
				ResultSet rs = s.executeQuery("SELECT id, name, offset, inode FROM in_tail_files")) {
			while (rs.next()) {
				rows.add(new Row(rs.getLong(1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
			}
		}
		return rows;
	}

	@Override
	public void close() {
		try {
			this.conn.close();
		}
		catch (SQLException ex) {
			// closing
		}
	}
}
