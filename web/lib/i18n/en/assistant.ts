// The service assistant (its knowledge base administration is in admin.ts).
// English: exactly the keys of ../zh-CN/assistant.ts (the type below says so).
import type zh from '../zh-CN/assistant.ts';

export default {
	'assistant.title': 'Ask the assistant',
	'assistant.pageTitle': 'Questions about a service',
	'assistant.pageLead': 'Not sure which service you need or what to bring? Ask here.',
	'assistant.intro':
		'Ask how to get something done. Answers come from this hall’s service guides and FAQs; when it cannot answer, talk to a person by video in one tap.',
	'assistant.you': 'I asked: ',
	'assistant.answerLabel': 'Answer',
	'assistant.aboutItem': 'This is about "{name}".',
	'assistant.actions': 'Next steps',
	'assistant.action.book': 'Book',
	'assistant.action.ticket': 'On-site ticket',
	'assistant.action.video': 'Video consultation (a person)',
	'assistant.action.guide': 'Read the guide',
	'assistant.alternatives': 'Did you mean:',
	'assistant.unknown':
		'This is government business, but I do not have that answer yet. Try asking another way, or talk to a person by video.',
	'assistant.offTopic':
		'This is not something the hall handles, so I cannot help with it. If you have something to get done here, tell me what it is.',
	'assistant.examples': 'You could ask:',
	'assistant.example1': '怎么办理营业执照',
	'assistant.example2': '公积金怎么提取',
	'assistant.example3': '视频办理要准备什么',
	'assistant.examplesNote':
		"The hall's guide is written in Chinese, so these questions are asked in Chinese.",
	'assistant.chineseOnly':
		"The hall's guide is written in Chinese, so I can only answer questions asked in Chinese. Tap one of the example questions, or talk to a person by video.",
	'assistant.english.gap':
		'I understand Chinese best, and I could not find this in the hall’s guides. A person can help: talk to one by video.',
	'assistant.english.offTopic':
		'This is not something the hall handles. I understand Chinese best: if you have something to get done here, ask in Chinese, or talk to a person by video.',
	'assistant.inputLabel': 'Your question',
	'assistant.placeholder': 'e.g. which licences does a restaurant need?',
	'assistant.send': 'Ask',
	'assistant.asking': 'Looking…',
	'assistant.messageInvalid': 'Type a question (at most 200 characters).',
	'assistant.failed': 'No answer right now. Try again later, or talk to a person.',
	'assistant.person': 'Talk to a person',
	'assistant.loginForPerson': 'Sign in to talk to a person by video',
	'assistant.citizenOnly': 'Hand-off is started from a citizen account.',
	'assistant.personHint': 'Takes a video ticket for "{name}"; the agent sees what you asked here.',
	'assistant.personChoose':
		'Choose the service, take a video ticket; the agent sees what you asked here.',
	'assistant.handoff': 'Talk to a person',
	'assistant.serviceLabel': 'Service',
	'assistant.servicePick': 'Choose a service',
	'assistant.chooseService': 'Choose the service to ask about first.',
	'assistant.alreadyQueued': 'You already hold a ticket for this service; see My services.',
	'assistant.alreadyHandedOff': 'This conversation is already with a person.',
	'assistant.restart': 'Start a new conversation',
	'assistant.conversation': 'Assistant conversation',
	'assistant.conversationHint': 'What the citizen asked before handing off:',
	'assistant.noAnswer': '(not answered)'
} satisfies Record<keyof typeof zh, string>;
