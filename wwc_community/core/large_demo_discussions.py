"""The large demo's discussions: questions by generated members, with answers, comments
under answers, votes, accepted answers and follows. Every counter is written from the
rows generated with it: a thread's answer count is its answers, its vote count the
votes its answers hold, a post's vote count its votes."""

from collections.abc import Callable
from datetime import datetime, timedelta

from wwc_community.core.large_demo_bulk import Bulk, Community, Person, allocate
from wwc_community.core.large_demo_phrases import THREAD_TITLES
from wwc_community.discussions.models import Post, Thread, ThreadFollow, Vote, thread_topic
from wwc_community.discussions.services import thread_slug

THREADS_PER_CHUNK = 1_000
# One busy thread per 6,000 (at least one): the pages of a thread with 100 answers and
# more must be measured at every size.
THREADS_PER_BUSY_THREAD = 6_000
BUSY_ANSWERS = (100, 160)
BUSY_ASKED_DAYS = (90, 400)
UNANSWERED_SHARE = 0.12
ACCEPTED_SHARE = 0.5
ABOUT_A_PRACTICE_SHARE = 0.03
MAX_VOTES = 60
# Mean hours between a question and each answer, and between an answer and a comment.
ANSWER_DELAY_HOURS = 30
BUSY_ANSWER_DELAY_HOURS = 24 * 12
COMMENT_DELAY_HOURS = 8
HISTORY_DAYS = 730


def add_discussions(
    bulk: Bulk,
    community: Community,
    threads: int,
    answers: int,
    comments: int,
    progress: Callable[[int], None],
) -> dict[str, int]:
    """Add `threads` questions with `answers` answers and `comments` comments between
    them; return how many rows of each kind went in."""
    rng = community.rng
    busy_count = min(threads, max(1, threads // THREADS_PER_BUSY_THREAD))
    busy = set(rng.sample(range(threads), busy_count))
    answer_counts = [0] * threads
    for index in busy:
        answer_counts[index] = min(rng.randint(*BUSY_ANSWERS), answers // len(busy))
    weights = [
        0.0 if index in busy or rng.random() < UNANSWERED_SHARE else min(rng.paretovariate(2), 25)
        for index in range(threads)
    ]
    for index, extra in enumerate(allocate(rng, answers - sum(answer_counts), weights)):
        answer_counts[index] += extra
    writer = _ThreadWriter(bulk, community, comments / max(answers, 1))
    for start in range(0, threads, THREADS_PER_CHUNK):
        indexes = range(start, min(start + THREADS_PER_CHUNK, threads))
        writer.write_chunk([(answer_counts[i], i in busy) for i in indexes])
        progress(len(indexes))
    return writer.totals


class _ThreadWriter:
    """Builds the rows of a chunk of threads and inserts them, table by table."""

    def __init__(self, bulk: Bulk, community: Community, comments_per_answer: float):
        self.bulk = bulk
        self.community = community
        self.rng = community.rng
        self.comments_per_answer = comments_per_answer
        self.authors = community.author_choice()
        self.topics = community.topic_choice
        self.voters = community.people
        self.practices_by_topic: dict[str, list[tuple[int, datetime]]] = {}
        for practice_id, topic, published_at in community.practices:
            self.practices_by_topic.setdefault(topic, []).append((practice_id, published_at))
        self.totals = dict.fromkeys(("threads", "answers", "comments", "votes", "follows"), 0)
        self.answers_planned = 0
        long_ago = community.now - timedelta(days=BUSY_ASKED_DAYS[1])
        self.veterans = [
            a for a in community.authors if a.joined_at <= long_ago
        ] or community.authors

    def write_chunk(self, plan: list[tuple[int, bool]]) -> None:
        """`plan`: for each thread of the chunk, its number of answers and whether it is
        one of the busy ones."""
        rng = self.rng
        answer_total = sum(count for count, _ in plan)
        self.answers_planned += answer_total
        # Comments in proportion to the answers so far, so the chunks add up exactly.
        comments_due = round(self.answers_planned * self.comments_per_answer)
        comment_weights = [rng.paretovariate(2.5) for _ in range(answer_total)]
        comment_counts = allocate(rng, comments_due - self.totals["comments"], comment_weights)
        post_ids = iter(self.bulk.ids(Post.__table__, answer_total + sum(comment_counts)))
        comment_counts_left = iter(comment_counts)
        self.rows = {"thread": [], "topic": [], "post": [], "vote": [], "follow": []}
        self.accepted: list[dict] = []
        for thread_id, (answer_count, is_busy) in zip(
            self.bulk.ids(Thread.__table__, len(plan)), plan, strict=True
        ):
            counts = [next(comment_counts_left) for _ in range(answer_count)]
            self._thread(thread_id, counts, is_busy, post_ids)
        bulk = self.bulk
        bulk.insert(Thread.__table__, self.rows["thread"])
        bulk.insert(thread_topic, self.rows["topic"])
        bulk.insert(Post.__table__, self.rows["post"])
        bulk.insert(Vote.__table__, self.rows["vote"])
        bulk.insert(ThreadFollow.__table__, self.rows["follow"])
        # The thread row had to exist before its posts, and the accepted post after.
        bulk.update_by_id(Thread.__table__, self.accepted)
        self.totals["threads"] += len(plan)
        self.totals["votes"] += len(self.rows["vote"])
        self.totals["follows"] += len(self.rows["follow"])

    def _thread(self, thread_id: int, comment_counts: list[int], is_busy: bool, post_ids) -> None:
        community, rng, now = self.community, self.rng, self.community.now
        text = community.text
        asker: Person = self.authors(rng)
        topic = self.topics(rng)
        if is_busy:
            # Answers to a busy thread come over months: its asker joined long ago.
            asker = rng.choice(self.veterans)
            asked_at = community.since_joining(
                asker,
                now - timedelta(days=BUSY_ASKED_DAYS[1]),
                now - timedelta(days=BUSY_ASKED_DAYS[0]),
            )
        else:
            earliest = max(asker.joined_at, now - timedelta(days=HISTORY_DAYS))
            asked_at = community.between(earliest, now - timedelta(hours=2))
        follows = {asker.id: asked_at}
        # Answers in time order, each with its comments; ids follow the order of writing.
        delay = BUSY_ANSWER_DELAY_HOURS if is_busy else ANSWER_DELAY_HOURS
        answer_times = sorted(community.after(asked_at, delay) for _ in comment_counts)
        writings: list[tuple[datetime, int, Person, int | None]] = []
        for number, (answered_at, comments) in enumerate(
            zip(answer_times, comment_counts, strict=True)
        ):
            answerer = self._answerer(asker)
            answered_at = self._not_before_joining(answerer, answered_at)
            writings.append((answered_at, 0, answerer, number))
            for _ in range(comments):
                commenter = asker if rng.random() < 0.3 else self.authors(rng)
                commented_at = community.after(answered_at, COMMENT_DELAY_HOURS)
                writings.append(
                    (self._not_before_joining(commenter, commented_at), 1, commenter, number)
                )
        writings.sort(key=lambda writing: (writing[0], writing[1]))
        answer_ids: dict[int, int] = {}
        answer_votes: list[tuple[int, int]] = []
        for written_at, is_comment, author, number in writings:
            post_id = next(post_ids)
            body = text.comment(topic) if is_comment else text.answer(topic)
            votes = 0
            if is_comment:
                parent_id = answer_ids[number]
                self.totals["comments"] += 1
            else:
                parent_id, answer_ids[number] = None, post_id
                votes = self._votes(post_id, author.id, written_at, is_busy)
                answer_votes.append((post_id, votes))
                self.totals["answers"] += 1
            self.rows["post"].append(
                {
                    "id": post_id,
                    "thread_id": thread_id,
                    "author_id": author.id,
                    "parent_id": parent_id,
                    "body": body.source,
                    "body_html": body.html,
                    "created_at": written_at,
                    "vote_count": votes,
                }
            )
            follows.setdefault(author.id, written_at)
        if answer_votes and rng.random() < ACCEPTED_SHARE:
            best = max(answer_votes, key=lambda pair: pair[1])
            chosen = best if rng.random() < 0.7 else rng.choice(answer_votes)
            self.accepted.append({"row_id": thread_id, "accepted_post_id": chosen[0]})
        question = text.question(topic)
        title = community.writer.pick(THREAD_TITLES, topic)
        about = None
        if rng.random() < ABOUT_A_PRACTICE_SHARE:
            # A question about a library entry comes after the entry was published.
            earlier = [p for p, at in self.practices_by_topic.get(topic, ()) if at < asked_at]
            about = rng.choice(earlier) if earlier else None
        self.rows["thread"].append(
            {
                "id": thread_id,
                "title": title,
                "slug": thread_slug(title),
                "body": question.source,
                "body_html": question.html,
                "author_id": asker.id,
                "city_id": asker.city_id,
                "created_at": asked_at,
                "last_activity_at": max([asked_at, *(w[0] for w in writings)]),
                "answer_count": len(answer_votes),
                "vote_count": sum(votes for _, votes in answer_votes),
                "pinned": False,
                "practice_id": about,
            }
        )
        self.rows["topic"] += [
            {"thread_id": thread_id, "topic_id": community.topic_ids[name]}
            for name in [topic, *community.other_topics(topic)]
        ]
        self.rows["follow"] += [
            {"member_id": member_id, "thread_id": thread_id, "created_at": at}
            for member_id, at in follows.items()
        ]

    def _not_before_joining(self, person: Person, moment: datetime) -> datetime:
        if moment >= person.joined_at:
            return moment
        return self.community.after(person.joined_at, ANSWER_DELAY_HOURS)

    def _answerer(self, asker: Person) -> Person:
        author = self.authors(self.rng)
        return self.authors(self.rng) if author.id == asker.id else author

    def _votes(self, post_id: int, author_id: int, posted_at: datetime, is_busy: bool) -> int:
        """Votes for an answer from other members (never its author): most answers get
        none or a few, some get dozens."""
        rng, community = self.rng, self.community
        wanted = min(int(rng.paretovariate(1.3 if is_busy else 1.6)) - 1, MAX_VOTES)
        if wanted <= 0:
            return 0
        voters = rng.sample(self.voters, min(wanted + 1, len(self.voters)))
        voters = [voter for voter in voters if voter.id != author_id][:wanted]
        latest = min(community.now, posted_at + timedelta(days=30))
        self.rows["vote"] += [
            {
                "post_id": post_id,
                "member_id": voter.id,
                "created_at": community.since_joining(
                    voter, posted_at, max(latest, voter.joined_at)
                ),
            }
            for voter in voters
        ]
        return len(voters)
