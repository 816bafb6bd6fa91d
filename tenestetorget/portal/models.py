"""The portal keeps no domain data. A contact-form submission's one-time id is kept by
contact.intake's one record for every channel (source "webform")."""
