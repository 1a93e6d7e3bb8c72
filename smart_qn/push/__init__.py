"""Push notifications through Firebase Cloud Messaging. App installations register as devices
(`devices.py`) and are subscribed to FCM topics for their province, district, commune, language and chosen
categories (`topics.py`); the subscriptions are rows in the database that background jobs bring FCM in line
with (`subscriptions.py`), so a push to an audience goes out as a few topic-condition messages that FCM fans
out to every matching device exactly once.
"""
