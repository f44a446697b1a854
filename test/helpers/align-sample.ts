/** A French article and an English version made elsewhere, for the align tests. */

export const FR = `Le ministre à Moscou

Le ministre des Affaires étrangères est arrivé lundi à Moscou pour deux jours de discussions. Il doit rencontrer son homologue russe mardi matin. Les deux pays négocient depuis 2019 un accord sur le gaz.

Le contrat porterait sur 2,6 milliards de dollars par an. Selon la presse, les discussions sont difficiles. Un diplomate a déclaré : « Rien n’est encore décidé. »

La délégation rentrera à Paris jeudi soir. Le gouvernement n’a pas souhaité commenter.
`;

/** The English version left out "Selon la presse…" and added a sentence of its own. */
export const EN = `The minister in Moscow

The foreign minister arrived in Moscow on Monday for two days of talks. He is due to meet his Russian counterpart on Tuesday morning. The two countries have been negotiating a gas deal since 2019.

The contract would be worth $2.6 billion a year. One diplomat said: “Nothing has been decided yet.”

The delegation will return to Paris on Thursday evening. The government declined to comment. Mr. Smith of Reuters contributed to this report.
`;
