// The punctuation code joins translated parts with: a list, a label and its value, a note in
// brackets (English has its own: "By video, On site", "Fixed: …", "Name (District)").
// Simplified Chinese, the source language; en/punctuation.ts has exactly the same keys.
export default {
	'punct.listSep': '、',
	'punct.listSepStrong': '；',
	'punct.colon': '：',
	'punct.withNote': '{text}（{note}）'
};
