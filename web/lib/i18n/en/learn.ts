// The assistant's learning queue (issue 25 item 3) in English: exactly the keys of zh-CN/learn.ts.
import type zh from '../zh-CN/learn.ts';

export default {
	'learn.title': 'Assistant: questions to learn from',
	'learn.lead':
		'Questions the assistant could not answer, or whose conversation went to a person, grouped by their wording, most asked first. Link one to an existing answer and the next person who asks it that way gets the answer; or write a new answer from it.',
	'learn.views': 'Kinds of question',
	'learn.gaps': 'Government questions (gaps)',
	'learn.offTopic': 'Looks off topic',
	'learn.gapsHint':
		'These are about government services, but the knowledge base has no answer yet, or the citizen still asked for a person.',
	'learn.offTopicHint':
		'The assistant judged these not to be government business and told the citizen so. If one is, link it to an answer or write one.',
	'learn.quoted': '"{question}"',
	'learn.empty': 'Nothing waiting.',
	'learn.count_one': 'asked {count} time',
	'learn.count_other': 'asked {count} times',
	'learn.lastAsked': 'last {time}',
	'learn.handedOff': 'went to a person',
	'learn.suggested': 'Perhaps they meant:',
	'learn.linkTo': 'Link to "{title}"',
	'learn.otherEntry': 'Link to another answer',
	'learn.chooseEntry': 'Choose an answer',
	'learn.link': 'Link',
	'learn.writeNew': 'No answer fits: write a new one',
	'learn.newTitle': 'Title (usually the question itself)',
	'learn.newBody': 'Answer',
	'learn.newTags': 'Keywords (separated by commas or spaces, optional)',
	'learn.publish': 'Publish the answer',
	'learn.markOffTopic': 'Not government business',
	'learn.linked':
		'Linked. Questions asked this way are done, and the next one asked this way is answered.',
	'learn.written':
		'Published. Questions asked this way are done, and the next one asked this way is answered.',
	'learn.marked': 'Marked off topic; not counted as a gap.'
} satisfies Record<keyof typeof zh, string>;
