// A test helper until floor submissions exist (Warehouse II): sets a PO line's counts in the
// end-to-end server's SQLite file, as recording the floor's counts will. Python's sqlite3
// module is on every machine these tests run on; the server sees the change on its next read.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const database = path.resolve(__dirname, '..', '.e2e', 'backroom.db');

const script = `
import sqlite3, sys
db, number, line, good, damaged = sys.argv[1:]
con = sqlite3.connect(db, timeout=10)
with con:
    cur = con.execute(
        "update po_lines set good = ?, damaged = ? where line_no = ? and po_id = "
        "(select id from purchase_orders where number = ?)",
        (int(good), int(damaged), int(line), number),
    )
    if cur.rowcount != 1:
        sys.exit(f"no line {line} on {number}")
`;

export function setLineCounts(number: string, line: number, good: number, damaged: number): void {
  execFileSync('python3', ['-c', script, database, number, String(line), String(good), String(damaged)]);
}
