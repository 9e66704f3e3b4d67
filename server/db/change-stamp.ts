import { perConnection, type Db } from './index.ts';

const statement = perConnection((db: Db) =>
	db.prepare<[], { stamp: string }>(
		"SELECT (SELECT data_version FROM pragma_data_version()) || ':' || total_changes() AS stamp"
	)
);

/**
 * A value that changes whenever the database may have changed: a commit by another connection
 * (PRAGMA data_version) or a row written by this one (total_changes()). Costs two tiny
 * statements; lets a cache of rarely changing rows (a hall's hours) skip its queries.
 */
export function changeStamp(db: Db): string {
	return statement(db).get()!.stamp;
}
