"""How a person wants to be told: per kind of news (a topic), which channels.

Stored in the profile's ``notifications`` field: the channel switches (``email``,
``push``, ``sms``), the channels chosen per topic where the person chose, and how an
agent receives new requests (at once, in a daily digest, or not at all). Where a
person chose nothing, the default holds: by push when they have a device
subscribed, else by email. A switched-off channel is never used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

EMAIL, PUSH, SMS = "email", "push", "sms"
CHANNELS = (PUSH, EMAIL, SMS)

#: The topics a person may set, and what they are.
TOPICS = {
    "status": "My request changed status, or the service wrote about it",
    "message": "A message about a request (from an agent, or to an agent from a citizen)",
    "information": "I am asked for more information",
    "new_request": "A new request arrived for one of my roles (agents)",
    "assigned": "A request was assigned to me (agents)",
    "role": "The workflow tells my role about a request (agents)",
}
IMMEDIATE, DIGEST, OFF = "immediate", "digest", "off"
NEW_REQUEST_MODES = (IMMEDIATE, DIGEST, OFF)


def defaults() -> dict[str, Any]:
    return {EMAIL: True, PUSH: True, SMS: True, "topics": {}, "new_requests": IMMEDIATE}


def stored(raw: Mapping[str, Any] | None) -> dict[str, Any]:
    """The preferences as stored, with what an older or partial value lacks filled in
    (unknown topics and channels are dropped: a stored value never breaks a reader)."""
    value = defaults()
    if not isinstance(raw, Mapping):
        return value
    for switch in CHANNELS:
        if isinstance(raw.get(switch), bool):
            value[switch] = raw[switch]
    topics = raw.get("topics")
    if isinstance(topics, Mapping):
        value["topics"] = {
            topic: [c for c in CHANNELS if c in chosen]
            for topic, chosen in topics.items()
            if topic in TOPICS and isinstance(chosen, list)
        }
    if raw.get("new_requests") in NEW_REQUEST_MODES:
        value["new_requests"] = raw["new_requests"]
    return value


def merged(raw: Mapping[str, Any] | None, change: Mapping[str, Any]) -> dict[str, Any]:
    """The stored preferences with ``change`` applied (keys given replace, topics one by one)."""
    value = stored(raw)
    for key, given in change.items():
        if key == "topics":
            value["topics"].update({topic: list(chosen) for topic, chosen in given.items()})
        else:
            value[key] = given
    return stored(value)


def channels_for(raw: Mapping[str, Any] | None, topic: str, *, has_push: bool, has_phone: bool) -> list[str]:
    """The channels to use for ``topic`` now, in order of preference."""
    value = stored(raw)
    if topic == "new_request" and value["new_requests"] == OFF:
        return []
    chosen = value["topics"].get(topic)
    if chosen is None:
        chosen = [PUSH] if has_push and value[PUSH] else [EMAIL]
    available = {PUSH: has_push, EMAIL: True, SMS: has_phone}
    return [channel for channel in chosen if value[channel] and available[channel]]


def effective(raw: Mapping[str, Any] | None, *, has_push: bool, has_phone: bool) -> dict[str, Any]:
    """What a settings screen shows: the switches, each topic's channels now, the digest choice."""
    value = stored(raw)
    return {
        EMAIL: value[EMAIL],
        PUSH: value[PUSH],
        SMS: value[SMS],
        "topics": {
            topic: value["topics"][topic]
            if topic in value["topics"]
            else channels_for(raw, topic, has_push=has_push, has_phone=has_phone)
            for topic in TOPICS
        },
        "new_requests": value["new_requests"],
    }
