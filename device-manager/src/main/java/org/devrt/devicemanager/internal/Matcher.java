package org.devrt.devicemanager.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

import org.devrt.pci.PciFunction;

/**
 * Ranks the drivers on offer for a function. Every offer appears in the ranking with its best rule, its score
 * (0 when no rule matches) and a verdict a person can read; the first candidate with a positive score that is
 * not refused is the one to attach.
 *
 * <p>Total order: score (higher first), then driver id, then {@link DriverOffer#TIE_BREAK}.
 */
final class Matcher {
    /** One offer's standing for one function. */
    record Candidate(DriverOffer offer, MatchRule rule, int score, String refusal, String verdict) {
        boolean eligible() {
            return score > 0 && refusal.isEmpty();
        }

        Candidate withVerdict(String text) {
            return new Candidate(offer, rule, score, refusal, text);
        }
    }

    static final Comparator<Candidate> ORDER = Comparator.comparingInt(Candidate::score).reversed()
            .thenComparing(c -> c.rule().driverId())
            .thenComparing(Candidate::offer, DriverOffer.TIE_BREAK);

    private Matcher() {
    }

    /**
     * @param refusal says why an offer may not be used ("" when it may), e.g. the user uninstalled it
     */
    static List<Candidate> rank(PciFunction f, Collection<DriverOffer> offers,
            java.util.function.Function<DriverOffer, String> refusal) {
        List<Candidate> ranked = new ArrayList<>();
        for (DriverOffer offer : offers) {
            MatchRule best = null;
            int bestScore = 0;
            for (MatchRule rule : offer.rules()) {
                int s = rule.score(f);
                if (best == null || s > bestScore) {
                    best = rule;
                    bestScore = s;
                }
            }
            if (best != null) {
                ranked.add(new Candidate(offer, best, bestScore, refusal.apply(offer), ""));
            }
        }
        ranked.sort(ORDER);
        return verdicts(f, ranked);
    }

    private static List<Candidate> verdicts(PciFunction f, List<Candidate> ranked) {
        Optional<Candidate> winner = ranked.stream().filter(Candidate::eligible).findFirst();
        List<Candidate> out = new ArrayList<>(ranked.size());
        for (Candidate c : ranked) {
            String verdict;
            if (c.score() == 0) {
                verdict = "does not match: " + c.rule().mismatch(f);
            } else if (!c.refusal().isEmpty()) {
                verdict = "not used: " + c.refusal();
            } else if (winner.get() == c) {
                verdict = "chosen";
            } else if (c.score() < winner.get().score()) {
                verdict = "lower score than " + name(winner.get());
            } else {
                verdict = "same score, ordered after " + name(winner.get()) + " (driver id, then bundle, then newest version)";
            }
            out.add(c.withVerdict(verdict));
        }
        return out;
    }

    static Optional<Candidate> best(List<Candidate> ranked, Predicate<Candidate> also) {
        return ranked.stream().filter(Candidate::eligible).filter(also).findFirst();
    }

    private static String name(Candidate c) {
        return c.rule().driverId() + " (" + c.offer().bsn() + " " + c.offer().version() + ")";
    }
}
