package io.assistantstream.demo.control;

import java.util.List;
import java.util.Locale;

/** The demo service's repertoire, picked by the words of the question. */
public final class DemoAnswers {

    private static final String DAILY_SYNC = """
            name: Daily-Patient-Sync
            jobs:
              Fetch-Patients:
                id: job-fetch-patients
                name: Fetch Patients
                adaptor: "@openfn/language-http@latest"
                body: |
                  get('/patients', { query: { updated_since: $.cursor } });
              Upsert-To-DHIS2:
                id: job-upsert-dhis2
                name: Upsert To DHIS2
                adaptor: "@openfn/language-dhis2@latest"
                body: |
                  each('$.data[*]', upsert('trackedEntities', 'id', state => state.data));
            triggers:
              cron:
                id: trigger-cron
                type: cron
                cron_expression: "0 7 * * *"
                enabled: true
            edges:
              cron->Fetch-Patients:
                id: edge-cron-fetch
                source_trigger: cron
                target_job: Fetch-Patients
                condition_type: always
                enabled: true
              Fetch-Patients->Upsert-To-DHIS2:
                id: edge-fetch-upsert
                source_job: Fetch-Patients
                target_job: Upsert-To-DHIS2
                condition_type: on_job_success
                enabled: true
            """;

    private static final String WITH_ALERTS = """
            name: Patient-Sync-With-Alerts
            jobs:
              Fetch-Patients:
                id: job-fetch-patients
                name: Fetch Patients
                adaptor: "@openfn/language-http@latest"
                body: |
                  get('/patients', { query: { updated_since: $.cursor } });
              Upsert-To-DHIS2:
                id: job-upsert-dhis2
                name: Upsert To DHIS2
                adaptor: "@openfn/language-dhis2@latest"
                body: |
                  each('$.data[*]', upsert('trackedEntities', 'id', state => state.data));
              Notify-Team:
                id: job-notify-team
                name: Notify Team
                adaptor: "@openfn/language-mailgun@latest"
                body: |
                  sendMail({ to: 'data-team@example.org', subject: 'Patient sync failed', text: state.errors });
            triggers:
              webhook:
                id: trigger-webhook
                type: webhook
                enabled: true
            edges:
              webhook->Fetch-Patients:
                id: edge-webhook-fetch
                source_trigger: webhook
                target_job: Fetch-Patients
                condition_type: always
                enabled: true
              Fetch-Patients->Upsert-To-DHIS2:
                id: edge-fetch-upsert
                source_job: Fetch-Patients
                target_job: Upsert-To-DHIS2
                condition_type: on_job_success
                enabled: true
              Fetch-Patients->Notify-Team:
                id: edge-fetch-notify
                source_job: Fetch-Patients
                target_job: Notify-Team
                condition_type: on_job_failure
                enabled: true
              Upsert-To-DHIS2->Notify-Team:
                id: edge-upsert-notify
                source_job: Upsert-To-DHIS2
                target_job: Notify-Team
                condition_type: on_job_failure
                enabled: true
            """;

    private static final List<DemoAnswer> WORKFLOW = List.of(
            new DemoAnswer("Reviewing the workflow...", "Formatting workflow...", DAILY_SYNC, null, """
                    I've turned your workflow into a **daily sync** that runs every morning at 07:00 and has two \
                    steps.

                    ## What changed

                    1. **Fetch Patients** calls the HTTP API and asks only for records updated since the last \
                    run, using the cursor kept in `state`.
                    2. **Upsert To DHIS2** writes each patient as a tracked entity, creating it when it is new \
                    and updating it otherwise.

                    The trigger is a cron trigger with this expression:

                    ```
                    0 7 * * *
                    ```

                    It reads as *minute 0, hour 7, every day of every month*. The second step only runs when \
                    the first one succeeds, so a failed fetch never sends half a batch to DHIS2.

                    ## Things to check

                    - The HTTP credential must allow `GET /patients`; a `401` will stop the run at the first step.
                    - DHIS2 matches on `id`. If your source system uses another identifier, map it in the \
                    second step before upserting.
                    - Cron times are in **UTC**. For 07:00 in Nairobi, use `0 4 * * *` instead.

                    Want me to add a step that emails the data team when either step fails?
                    """),
            new DemoAnswer("Reviewing the workflow...", "Formatting workflow...", WITH_ALERTS, null, """
                    Done: your workflow now **tells the data team when something breaks**.

                    I added a third step, *Notify Team*, that uses the Mailgun adaptor. Two new edges lead to \
                    it, each with the condition `on_job_failure`:

                    | From | To | Runs when |
                    | --- | --- | --- |
                    | Fetch Patients | Notify Team | the fetch fails |
                    | Upsert To DHIS2 | Notify Team | the upsert fails |

                    The healthy path is unchanged: the webhook starts **Fetch Patients**, and **Upsert To \
                    DHIS2** follows on success.

                    The notification step sends the errors collected in `state.errors`:

                    ```js
                    sendMail({
                      to: 'data-team@example.org',
                      subject: 'Patient sync failed',
                      text: state.errors,
                    });
                    ```

                    A few notes before you turn it on:

                    - Add a Mailgun credential to the new step, or the alert itself will fail.
                    - Replace `data-team@example.org` with a real address or a mailing list.
                    - If alerts get noisy, change the edges to a `js_expression` condition such as \
                    `state.errors.length > 5`, so a single bad record does not page anyone.

                    Shall I also add a daily summary of how many patients were synced?
                    """));

    private static final String FILTER_CODE = """
            get('/patients', { query: { updated_since: $.cursor } });

            fn(state => {
              const active = state.data.filter(p => p.status === 'active');
              console.log(`Keeping ${active.length} of ${state.data.length} patients`);
              return { ...state, data: active };
            });
            """;

    private static final String SAFE_CODE = """
            get('/patients', { query: { updated_since: $.cursor } }).catch((error, state) => {
              console.error('Fetching patients failed:', error.message);
              return { ...state, data: [], errors: [error.message] };
            });

            fn(state => {
              if (state.data.length === 0) {
                console.log('No new patients since the last run');
              }
              return state;
            });
            """;

    private static final List<DemoAnswer> JOB = List.of(
            new DemoAnswer("Reviewing the code...", null, null, FILTER_CODE, """
                    I added a `fn` step that keeps only **active** patients and logs how many were kept.

                    ## How it works

                    After the `get` call, `state.data` holds the patients returned by the API. The new step \
                    filters that list:

                    ```js
                    const active = state.data.filter(p => p.status === 'active');
                    ```

                    and returns a new state with only those patients, so every later step sees the filtered \
                    list. The log line shows up in the run's logs, which makes it easy to spot a day where the \
                    API returned nothing useful.

                    ## Why a separate step

                    - Each operation in an OpenFn job receives the state of the one before it; a small `fn` \
                    keeps the filtering readable and testable.
                    - The original request is untouched, so the cursor logic keeps working.

                    Review the diff on the right and press **Accept** to use it.
                    """),
            new DemoAnswer("Reviewing the code...", null, null, SAFE_CODE, """
                    Your job now **survives a failing API call** instead of crashing the whole run.

                    ## What changed

                    1. The `get` request has a `.catch` handler. When the API fails, it logs the reason and \
                    carries on with an empty list and the error recorded in `state.errors`.
                    2. A new `fn` step logs a friendly line when there is nothing new to process.

                    ```js
                    .catch((error, state) => {
                      console.error('Fetching patients failed:', error.message);
                      return { ...state, data: [], errors: [error.message] };
                    })
                    ```

                    ## Trade-offs

                    - The run is marked *successful* even when the fetch failed. If you want the workflow's \
                    failure path to fire, re-throw the error after logging it.
                    - `state.errors` can be read by a later notification step.

                    Press **Accept** to apply it, or **Reject** to keep your current code.
                    """));

    private DemoAnswers() {
    }

    public static DemoAnswer pick(String service, String question) {
        String words = question == null ? "" : question.toLowerCase(Locale.ROOT);
        if ("workflow_chat".equals(service)) {
            boolean alerts = words.contains("fail") || words.contains("error") || words.contains("alert")
                    || words.contains("notif") || words.contains("email");
            return WORKFLOW.get(alerts ? 1 : 0);
        }
        boolean errors = words.contains("error") || words.contains("fail") || words.contains("catch")
                || words.contains("safe");
        return JOB.get(errors ? 1 : 0);
    }
}
