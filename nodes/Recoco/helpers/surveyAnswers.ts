import type { IDataObject } from 'n8n-workflow';

/** Recoco-sync's question kinds (`main/utils.py`), which decide the column values and types. */
export type QuestionType = 'SIMPLE' | 'YES_NO' | 'YES_NO_MAYBE' | 'CHOICES' | 'MULTIPLE_CHOICES';

export interface SurveyChoice extends IDataObject {
	text?: string;
	conclusion?: string | null;
}

export interface SurveyQuestion extends IDataObject {
	slug?: string;
	text?: string;
	text_short?: string;
	is_multiple?: boolean;
	choices?: SurveyChoice[];
}

export interface SurveyAnswer extends IDataObject {
	question?: SurveyQuestion;
	choices?: SurveyChoice[];
	comment?: string;
	attachment?: IDataObject[string];
}

export interface SurveyColumn extends IDataObject {
	colId: string;
	label: string;
	/** Grist column type, as Recoco-sync declares it. */
	type: 'Text' | 'Bool' | 'ChoiceList';
}

/** Column labels longer than this are cut with "..." (Recoco-sync's TABLE_COLUMN_HEADER_MAX_LENGTH). */
export const COLUMN_LABEL_MAX_LENGTH = 80;

/** Python's default sort order (code points), which JavaScript's default sort matches for these texts. */
function sortedChoiceTexts(question: SurveyQuestion): string[] {
	return (question.choices ?? []).map((choice) => String(choice?.text ?? '')).sort();
}

export function questionType(question: SurveyQuestion): QuestionType {
	if (question.is_multiple) return 'MULTIPLE_CHOICES';
	const texts = sortedChoiceTexts(question);
	if (!texts.length) return 'SIMPLE';
	// Sorted before lower-casing, exactly as Recoco-sync does, so the same questions get the same kind.
	const joined = texts.join('/').toLowerCase().replace(/ /g, '');
	if (joined === 'non/oui') return 'YES_NO';
	if (joined === 'jenesaispas/non/oui') return 'YES_NO_MAYBE';
	return 'CHOICES';
}

/** The column id of a question: its slug with `-` turned into `_`. */
export function questionColumnId(question: SurveyQuestion): string | undefined {
	return question.slug ? String(question.slug).replace(/-/g, '_') : undefined;
}

function titleCase(text: string): string {
	return text
		.toLowerCase()
		.replace(/(^|[^\p{L}])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}

export function questionColumnLabel(question: SurveyQuestion): string {
	const label = question.text_short || question.text || titleCase(String(question.slug ?? '').replace(/_/g, ' '));
	return label.length > COLUMN_LABEL_MAX_LENGTH ? `${label.slice(0, COLUMN_LABEL_MAX_LENGTH - 3)}...` : label;
}

const COLUMN_TYPE: Record<QuestionType, SurveyColumn['type']> = {
	SIMPLE: 'Text',
	YES_NO: 'Bool',
	YES_NO_MAYBE: 'Text',
	CHOICES: 'Text',
	MULTIPLE_CHOICES: 'ChoiceList',
};

/** The columns a question needs: its own, plus a `_comment` one unless it is a free-text question. */
export function questionColumns(question: SurveyQuestion): SurveyColumn[] {
	const colId = questionColumnId(question);
	if (!colId) return [];
	const label = questionColumnLabel(question);
	const kind = questionType(question);
	const columns: SurveyColumn[] = [{ colId, label, type: COLUMN_TYPE[kind] }];
	if (kind !== 'SIMPLE')
		columns.push({
			colId: `${colId}_comment`,
			label: `Commentaire de ${label}`,
			type: 'Text',
		});
	return columns;
}

/** One answer as columns, the way Recoco-sync's `map_from_survey_answer_payload_object` does. */
export function flattenAnswer(answer: SurveyAnswer): IDataObject {
	const question = answer.question;
	if (!question || typeof question !== 'object') return {};
	const colId = questionColumnId(question);
	if (!colId) return {};
	const choices = Array.isArray(answer.choices) ? answer.choices : [];
	const comment = answer.comment ?? '';
	const columns: IDataObject = {};
	switch (questionType(question)) {
		case 'SIMPLE':
			columns[colId] = comment;
			break;
		case 'YES_NO':
			columns[colId] = choices.length > 0 ? String(choices[0].text).toLowerCase() === 'oui' : false;
			columns[`${colId}_comment`] = comment;
			break;
		case 'YES_NO_MAYBE':
			columns[colId] = choices.length > 0 ? String(choices[0].text).toLowerCase() : '';
			columns[`${colId}_comment`] = comment;
			break;
		case 'CHOICES':
		case 'MULTIPLE_CHOICES':
			columns[colId] = choices.map((choice) => choice.conclusion || choice.text).join(',');
			columns[`${colId}_comment`] = comment;
			break;
	}
	if (answer.attachment) columns[`${colId}_attachment`] = answer.attachment;
	return columns;
}

/** Every answer of a session as one set of columns; a later answer to the same question wins. */
export function flattenAnswers(answers: SurveyAnswer[]): IDataObject {
	return answers.reduce<IDataObject>((columns, answer) => ({ ...columns, ...flattenAnswer(answer) }), {});
}
