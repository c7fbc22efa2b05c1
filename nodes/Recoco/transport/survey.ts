import type { IAllExecuteFunctions, IDataObject } from 'n8n-workflow';

import {
	flattenAnswers,
	questionColumns,
	type SurveyAnswer,
	type SurveyColumn,
	type SurveyQuestion,
} from '../helpers/surveyAnswers';
import { recocoPaginate } from './index';

type RecocoContext = Pick<IAllExecuteFunctions, 'getNode' | 'helpers' | 'getCredentials'>;

export interface ProjectSurvey {
	sessionId: number | null;
	answers: SurveyAnswer[];
	/** Recoco-sync's columns for these answers: `<slug>`, `<slug>_comment`, `<slug>_attachment`. */
	columns: IDataObject;
}

/**
 * A project's survey answers: its first session (as Recoco-sync takes it), then every answer of that
 * session, paging until `next` is null. A project that never opened the survey has no session.
 */
export async function getProjectSurvey(context: RecocoContext, projectId: number, itemIndex?: number): Promise<ProjectSurvey> {
	const sessions = await recocoPaginate(context, '/survey/sessions/', {
		qs: { project_id: projectId },
		itemIndex,
		maxResults: 1,
	});
	const sessionId = sessions.length ? Number(sessions[0].id) : null;
	if (sessionId === null) return { sessionId, answers: [], columns: {} };
	const answers = (await recocoPaginate(context, `/survey/sessions/${sessionId}/answers/`, { itemIndex })) as SurveyAnswer[];
	return { sessionId, answers, columns: flattenAnswers(answers) };
}

/**
 * Every survey question of the portal as column definitions (needs an account that is staff for
 * the portal's site). Fetched once per execution and shared by all items.
 */
export function surveyColumnDefinitions(context: RecocoContext): (itemIndex?: number) => Promise<SurveyColumn[]> {
	let pending: Promise<SurveyColumn[]> | undefined;
	return async (itemIndex?: number) => {
		const load =
			pending ??
			(pending = recocoPaginate(context, '/survey/questions/', {
				itemIndex,
				pageSize: 500,
			}).then((questions) => (questions as SurveyQuestion[]).flatMap(questionColumns)));
		// A failed load is not kept, so the next item tries again (and reports its own error).
		load.catch(() => {
			if (pending === load) pending = undefined;
		});
		return await load;
	};
}
