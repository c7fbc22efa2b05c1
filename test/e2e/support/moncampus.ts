/**
 * The timetable change of the MonCampus → ecal tests (regular mode: test/e2e/moncampus-ecal.e2e.test.ts; overlapping
 * runs in queue mode: test/queue/support/moncampusOverlap.ts), on a fake seeded from 2026-03-23 with courses 1000…:
 * 2 courses moved, 1 cancelled, 1 added, so a sync makes exactly 2 updates, 1 delete and 1 create.
 */
import { loadFake } from './repo';

const { wigorDateTime } = loadFake('moncampus')!;

export function changeTimetable(moncampus: Record<string, any>): void {
	const events = moncampus.events();
	const move = (noCours: number, date: string, startTime: string, endTime: string) => {
		const index = events.findIndex((event: Record<string, any>) => event.NoCours === noCours);
		events[index] = { ...events[index], Start: wigorDateTime(date, startTime), End: wigorDateTime(date, endTime) };
	};
	move(1004, '2026-03-27', '14:00', '17:30');
	move(1020, '2026-04-06', '09:00', '12:30');
	events.splice(events.findIndex((event: Record<string, any>) => event.NoCours === 1030), 1);
	moncampus.addEvents([{ NoCours: 5000, date: '2026-04-15', startTime: '17:15', endTime: '18:45', Commentaire: 'Rattrapage', Salles: 'Aucune' }]);
}
