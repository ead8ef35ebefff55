// Words a trader's SMS uses that are not tickers. A word in this list is read as a ticker only when
// written `$WORD`, or (for real tickers that are also English, like NOW or CAT) when it is upper-case
// in a mixed-case message and nothing better is there: see `tickers.ts`.
const WORDS = `
a about above add added adding after again ago ah alert alerts all also am an and any anything are list lists
around as ask at avg away b back bad be been before being below best bet big bit bo bot both bought
box break breakeven bring btc bto but buy buying by call calls can cancel cash change chased check
close closed closing cmd cmds come commands confirm correct could cover covered covering cut d
day days dc did didnt dip do does doing done dont down drop dropped dude dump dumped each eh end
enter entered entry eod es even every exit exited exiting fill filled first flat for from full
fyi gain gave get gets getting give go going gone good got great green guys h had half has have
he help her here hey hi high him his hit hmm hold holding hour l hours how howd hr hrs huh i if im
in into is isnt it its just k keep kill last later least left let like limit little lo log lol
long longs look looks lose loss lost lot low m made make man many market max maybe me menu mid
min mins minute minutes mo more most move moved much must mute muted my need never new news next
nice no none nope not note now nvm of off ok okay old on once one only open opened or order other
our out over p pa paper per pls please plz pm pnl position positions pos pre price pt put puts
quarter quick quiet raise raised rather red remove rest right risk run runner runners s said same
say scale scaled see sell seller selling sells set sh share shares she short shorted shorts
should shs silence since size sl sld small snooze so sold some soon start status still stop
stopped stp sto stc such sure swing take taken taking target targets tell tgt than thank thanks
that the their them then there these they thing think third this those thru tight time to today
told too took top total tp trade traded trades trail trim trimmed try turn two u uh under unmute
unwatch up upd update us use very wait want was watch watching way we week weekly well went were
what whats when where which while who why will win with wk wont would wow x y ya yea yeah yep yes
yet you your yup until till tmrw tmr noon lunch bell later open close ahh ugh meh oops sorry brb bull bear bears bulls dip rip moon pump fade faded gap gaps hod lod vwap rsi macd ema sma ath atl
alright anyone anyway cool fine idk lmk thx ty gm gn omg wtf via plan idea ready real sad mad glad fun doing feel felt kind nah neg nada ill id ive youre
`;

/** Lower-case words that are never tickers unless written `$WORD`. */
export const LEXICON: ReadonlySet<string> = new Set(WORDS.split(/\s+/).filter(Boolean));

/**
 * Words that stay plain English even when written in capitals ("closed IT at 12.40", "ALL out",
 * "stop to BE"): never read as a ticker without `$`, however the message is cased.
 */
export const NEVER_TICKER: ReadonlySet<string> = new Set([
  'a',
  'all',
  'am',
  'an',
  'and',
  'at',
  'be',
  'by',
  'do',
  'for',
  'i',
  'im',
  'in',
  'is',
  'it',
  'me',
  'my',
  'no',
  'of',
  'ok',
  'on',
  'or',
  'out',
  'pm',
  'so',
  'stop',
  'the',
  'to',
  'up',
  'us',
  'we',
  'yes',
  'sl',
  'tp',
  'pt',
  'tgt',
  'stp',
  'sh',
  'x',
  'eod',
  'pnl',
  'avg',
  'be',
]);
