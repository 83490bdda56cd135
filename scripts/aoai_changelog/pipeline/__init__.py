"""The stages joined end to end.

    compare.py    two specs named by the user (versions, revisions or files) -> a judged diff:
                  load, normalize, surface (via store/), then diff/ (facts) and checker/ (verdicts)
    changelog.py  specs/ -> changelog/ (every pair's diff, the feature index, the revisions'
                  timelines and feeds, rules.md), then the site (`aoai-changelog build`)
    parallel.py   work on the other core (a forked child), where it is safe and useful
    collector.py  fewer garbage collections while a build runs
"""
