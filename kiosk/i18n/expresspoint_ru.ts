<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ru">
<context>
    <name>CameraPreview</name>
    <message>
        <source>Camera picture is not available. Hold your code up anyway.</source>
        <translation>Изображение с камеры недоступно. Всё равно поднесите код к камере.</translation>
    </message>
</context>
<context>
    <name>CameraTestScreen</name>
    <message>
        <source>Camera and scanner test</source>
        <translation>Проверка камеры и сканера</translation>
    </message>
    <message>
        <source>Back to the map</source>
        <translation>К схеме</translation>
    </message>
    <message>
        <source>No scan pipeline is running.</source>
        <translation>Распознавание кодов не запущено.</translation>
    </message>
    <message>
        <source>Decoder: %1
Source: %2 (%3)
Frames decoded: %4
Codes read: %5
Decode time: %6 ms average, %7 ms worst
Last error: %8</source>
        <translation>Декодер: %1
Источник: %2 (%3)
Обработано кадров: %4
Считано кодов: %5
Время распознавания: в среднем %6 мс, максимум %7 мс
Последняя ошибка: %8</translation>
    </message>
</context>
<context>
    <name>CheckResultScreen</name>
    <message>
        <source>occupied</source>
        <translation>занята</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>пуста</translation>
    </message>
    <message>
        <source>Compartment check</source>
        <translation>Проверка ячеек</translation>
    </message>
    <message>
        <source>These lock boards have no occupancy sensors.</source>
        <translation>У этих плат замков нет датчиков заполнения.</translation>
    </message>
    <message numerus="yes">
        <source>%n compartment(s) do not match the records.</source>
        <translation>
            <numerusform>%n ячейка не совпадает с учётом.</numerusform>
            <numerusform>%n ячейки не совпадают с учётом.</numerusform>
            <numerusform>%n ячеек не совпадают с учётом.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every compartment matches the records.</source>
        <translation>Все ячейки совпадают с учётом.</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>Ячейка</translation>
    </message>
    <message>
        <source>Should be</source>
        <translation>Должна быть</translation>
    </message>
    <message>
        <source>Sensor says</source>
        <translation>Датчик показывает</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
</context>
<context>
    <name>CheckingScreen</name>
    <message>
        <source>Checking your code…</source>
        <translation>Проверяем ваш код…</translation>
    </message>
    <message>
        <source>This takes a moment.</source>
        <translation>Это займёт несколько секунд.</translation>
    </message>
</context>
<context>
    <name>CodeEntryScreen</name>
    <message>
        <source>Type your pickup code</source>
        <translation>Введите код получения</translation>
    </message>
    <message>
        <source>The 8-digit code is in your parcel message.</source>
        <translation>8-значный код указан в сообщении о посылке.</translation>
    </message>
    <message>
        <source>Open my door</source>
        <translation>Открыть ячейку</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Code typed so far</source>
        <translation>Введённый код</translation>
    </message>
</context>
<context>
    <name>CollectScreen</name>
    <message>
        <source>to collect</source>
        <translation>забрать</translation>
    </message>
    <message>
        <source>collected</source>
        <translation>забрано</translation>
    </message>
    <message>
        <source>left in place</source>
        <translation>оставлено</translation>
    </message>
    <message>
        <source>door did not open</source>
        <translation>ячейка не открылась</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>срок истёк</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>отменено</translation>
    </message>
    <message>
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
    <message>
        <source>Opening door %1…</source>
        <translation>Открываем ячейку %1…</translation>
    </message>
    <message>
        <source>Door %1 of %2</source>
        <translation>Ячейка %1 из %2</translation>
    </message>
    <message>
        <source>Take the parcels from door %1</source>
        <translation>Заберите посылки из ячейки %1</translation>
    </message>
    <message>
        <source>Then close the door. Door %1 of %2.</source>
        <translation>Затем закройте дверцу. Ячейка %1 из %2.</translation>
    </message>
    <message>
        <source>Nothing to take</source>
        <translation>Забирать нечего</translation>
    </message>
    <message>
        <source>Parcels taken</source>
        <translation>Посылки забраны</translation>
    </message>
    <message>
        <source>Did you take the parcels from door %1?</source>
        <translation>Вы забрали посылки из ячейки %1?</translation>
    </message>
    <message>
        <source>The door is closed. Tell us what happened.</source>
        <translation>Дверца закрыта. Отметьте, что произошло.</translation>
    </message>
    <message>
        <source>No, they are still inside</source>
        <translation>Нет, они остались внутри</translation>
    </message>
    <message>
        <source>Yes, taken</source>
        <translation>Да, забрал</translation>
    </message>
    <message>
        <source>Nothing to collect</source>
        <translation>Забирать нечего</translation>
    </message>
    <message>
        <source>No parcel at this locker has expired or been cancelled.</source>
        <translation>В этом постамате нет просроченных или отменённых посылок.</translation>
    </message>
    <message>
        <source>Collection finished</source>
        <translation>Изъятие завершено</translation>
    </message>
    <message numerus="yes">
        <source>%n parcel(s) collected.</source>
        <translation>
            <numerusform>Забрана %n посылка.</numerusform>
            <numerusform>Забрано %n посылки.</numerusform>
            <numerusform>Забрано %n посылок.</numerusform>
        </translation>
    </message>
    <message>
        <source>No parcel was taken.</source>
        <translation>Ни одна посылка не забрана.</translation>
    </message>
    <message numerus="yes">
        <source>Parcels to collect: %n</source>
        <translation>
            <numerusform>Посылок к изъятию: %n</numerusform>
            <numerusform>Посылок к изъятию: %n</numerusform>
            <numerusform>Посылок к изъятию: %n</numerusform>
        </translation>
    </message>
    <message>
        <source>Label %1 is not among the parcels to collect.</source>
        <translation>Этикетки %1 нет среди посылок, которые нужно забрать.</translation>
    </message>
    <message>
        <source>Doors open one after another. Scan or type a label to open its door.</source>
        <translation>Дверцы откроются по очереди. Отсканируйте или введите этикетку, чтобы открыть её дверцу.</translation>
    </message>
    <message>
        <source>Type the label</source>
        <translation>Ввести этикетку</translation>
    </message>
    <message>
        <source>Start opening doors</source>
        <translation>Открыть ячейки</translation>
    </message>
    <message>
        <source>Nothing to collect at this locker.</source>
        <translation>В этом постамате забирать нечего.</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>Ячейка</translation>
    </message>
    <message>
        <source>Parcels</source>
        <translation>Посылки</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>Причина</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Состояние</translation>
    </message>
</context>
<context>
    <name>Countdown</name>
    <message numerus="yes">
        <source>Back to the start in %n&#xa0;s. Touch the screen to stay.</source>
        <translation>
            <numerusform>Возврат на главный экран через %n&#xa0;с. Коснитесь экрана, чтобы остаться.</numerusform>
            <numerusform>Возврат на главный экран через %n&#xa0;с. Коснитесь экрана, чтобы остаться.</numerusform>
            <numerusform>Возврат на главный экран через %n&#xa0;с. Коснитесь экрана, чтобы остаться.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>CourierDoorScreen</name>
    <message>
        <source>Use this label</source>
        <translation>Принять этикетку</translation>
    </message>
</context>
<context>
    <name>CourierLoginScreen</name>
    <message>
        <source>Courier login</source>
        <translation>Вход для курьера</translation>
    </message>
    <message>
        <source>Hold your badge to the camera, or type your courier ID and PIN.</source>
        <translation>Поднесите пропуск к камере или введите номер курьера и ПИН-код.</translation>
    </message>
</context>
<context>
    <name>CourierMenuScreen</name>
    <message>
        <source>Hello, %1</source>
        <translation>Здравствуйте, %1</translation>
    </message>
    <message>
        <source>courier</source>
        <translation>курьер</translation>
    </message>
    <message numerus="yes">
        <source>Deposited on this visit: %n parcel(s).</source>
        <translation>
            <numerusform>За этот визит заложена %n посылка.</numerusform>
            <numerusform>За этот визит заложено %n посылки.</numerusform>
            <numerusform>За этот визит заложено %n посылок.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>To deposit here: %n parcel(s) expected.</source>
        <translation>
            <numerusform>Ожидается к закладке: %n посылка.</numerusform>
            <numerusform>Ожидается к закладке: %n посылки.</numerusform>
            <numerusform>Ожидается к закладке: %n посылок.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>To collect: %n parcel(s).</source>
        <translation>
            <numerusform>Забрать: %n посылку.</numerusform>
            <numerusform>Забрать: %n посылки.</numerusform>
            <numerusform>Забрать: %n посылок.</numerusform>
        </translation>
    </message>
    <message>
        <source>Free compartments: %1</source>
        <translation>Свободные ячейки: %1</translation>
    </message>
    <message>
        <source>No compartment is free.</source>
        <translation>Свободных ячеек нет.</translation>
    </message>
    <message>
        <source>Doors reported faulty: %1</source>
        <translation>Неисправные ячейки: %1</translation>
    </message>
    <message>
        <source>Deposit parcels</source>
        <translation>Заложить посылки</translation>
    </message>
    <message>
        <source>Collect parcels</source>
        <translation>Забрать посылки</translation>
    </message>
    <message>
        <source>Check compartments</source>
        <translation>Проверить ячейки</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
</context>
<context>
    <name>DepositScreen</name>
    <message>
        <source>Menu</source>
        <translation>Меню</translation>
    </message>
    <message>
        <source>Type the label</source>
        <translation>Ввести этикетку</translation>
    </message>
    <message>
        <source>Opening door %1…</source>
        <translation>Открываем ячейку %1…</translation>
    </message>
    <message>
        <source>Wait for the door to spring open.</source>
        <translation>Дождитесь, пока дверца откроется.</translation>
    </message>
    <message>
        <source>Put the parcel in door %1</source>
        <translation>Положите посылку в ячейку %1</translation>
    </message>
    <message>
        <source>Size %1. Close the door when the parcel is in.</source>
        <translation>Размер %1. Закройте дверцу, когда посылка внутри.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Door did not open</source>
        <translation>Ячейка не открылась</translation>
    </message>
    <message>
        <source>Parcel does not fit</source>
        <translation>Посылка не помещается</translation>
    </message>
    <message>
        <source>No %1 free: use %2?</source>
        <translation>Нет свободных %1: занять %2?</translation>
    </message>
    <message>
        <source>Every size %1 compartment is taken. Door %2 (size %3) is free.</source>
        <translation>Все ячейки размера %1 заняты. Свободна дверца %2 (размер %3).</translation>
    </message>
    <message>
        <source>No, keep the parcel</source>
        <translation>Нет, оставить посылку у себя</translation>
    </message>
    <message>
        <source>Yes, use %1</source>
        <translation>Да, занять %1</translation>
    </message>
    <message>
        <source>Keep this parcel and scan the next one.</source>
        <translation>Оставьте эту посылку у себя и отсканируйте следующую.</translation>
    </message>
    <message>
        <source>Scan the next parcel</source>
        <translation>Сканировать следующую</translation>
    </message>
    <message>
        <source>No free compartment for this parcel</source>
        <translation>Нет свободной ячейки для этой посылки</translation>
    </message>
    <message>
        <source>Nothing of size %1 or larger is free. Keep the parcel.</source>
        <translation>Нет свободных ячеек размера %1 или больше. Оставьте посылку у себя.</translation>
    </message>
    <message>
        <source>Scan the parcel label</source>
        <translation>Отсканируйте этикетку посылки</translation>
    </message>
    <message>
        <source>Last parcel %1 went into door %2.</source>
        <translation>Последняя посылка %1 — в ячейке %2.</translation>
    </message>
    <message>
        <source>Hold the label to the camera, or type it if it will not scan.</source>
        <translation>Поднесите этикетку к камере или введите её, если она не сканируется.</translation>
    </message>
    <message>
        <source>Done depositing</source>
        <translation>Закладка завершена</translation>
    </message>
    <message>
        <source>Parcel</source>
        <translation>Посылка</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>Ячейка</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Размер</translation>
    </message>
    <message>
        <source>This parcel is already in the locker</source>
        <translation>Эта посылка уже в постамате</translation>
    </message>
    <message>
        <source>This parcel is not to be deposited (%1)</source>
        <translation>Эту посылку нельзя заложить (%1)</translation>
    </message>
    <message>
        <source>This parcel is not announced for this locker</source>
        <translation>Эта посылка не заявлена для этого постамата</translation>
    </message>
</context>
<context>
    <name>DoneScreen</name>
    <message>
        <source>Thank you!</source>
        <translation>Спасибо!</translation>
    </message>
    <message>
        <source>The door is closed. Have a nice day.</source>
        <translation>Ячейка закрыта. Хорошего дня!</translation>
    </message>
    <message numerus="yes">
        <source>Forgot something? Reopen door %1 (%n&#xa0;s)</source>
        <translation>
            <numerusform>Что-то забыли? Открыть ячейку %1 ещё раз (%n&#xa0;с)</numerusform>
            <numerusform>Что-то забыли? Открыть ячейку %1 ещё раз (%n&#xa0;с)</numerusform>
            <numerusform>Что-то забыли? Открыть ячейку %1 ещё раз (%n&#xa0;с)</numerusform>
        </translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Завершить</translation>
    </message>
</context>
<context>
    <name>DoorOpenScreen</name>
    <message>
        <source>Door %1 of %2 for your code</source>
        <translation>Ячейка %1 из %2 по вашему коду</translation>
    </message>
    <message>
        <source>Opening door %1…</source>
        <translation>Открываем ячейку %1…</translation>
    </message>
    <message>
        <source>The door will spring open in a moment.</source>
        <translation>Дверца сейчас откроется.</translation>
    </message>
    <message>
        <source>Door %1 is still open</source>
        <translation>Ячейка %1 всё ещё открыта</translation>
    </message>
    <message>
        <source>Please close the door firmly. Staff have been notified.</source>
        <translation>Пожалуйста, плотно закройте дверцу. Мы сообщили персоналу.</translation>
    </message>
    <message>
        <source>Please take your parcel and close the door.</source>
        <translation>Пожалуйста, заберите посылку и закройте дверцу.</translation>
    </message>
    <message>
        <source>Door %1 is open</source>
        <translation>Ячейка %1 открыта</translation>
    </message>
    <message>
        <source>Take your parcel and close the door when you are done.</source>
        <translation>Заберите посылку и закройте за собой дверцу.</translation>
    </message>
    <message>
        <source>Map of the locker with your door marked</source>
        <translation>Схема постамата, ваша ячейка отмечена</translation>
    </message>
    <message>
        <source>Door didn&apos;t open</source>
        <translation>Дверца не открылась</translation>
    </message>
    <message>
        <source>Parcel is not here</source>
        <translation>Посылки нет</translation>
    </message>
    <message>
        <source>Parcel is damaged</source>
        <translation>Посылка повреждена</translation>
    </message>
    <message>
        <source>Problem?</source>
        <translation>Проблема?</translation>
    </message>
    <message>
        <source>Back to my door</source>
        <translation>Назад к моей дверце</translation>
    </message>
</context>
<context>
    <name>DoorPosition</name>
    <message>
        <source>top left</source>
        <translation>вверху слева</translation>
    </message>
    <message>
        <source>top middle</source>
        <translation>вверху по центру</translation>
    </message>
    <message>
        <source>top right</source>
        <translation>вверху справа</translation>
    </message>
    <message>
        <source>middle left</source>
        <translation>посередине слева</translation>
    </message>
    <message>
        <source>in the middle</source>
        <translation>в центре</translation>
    </message>
    <message>
        <source>middle right</source>
        <translation>посередине справа</translation>
    </message>
    <message>
        <source>lower left</source>
        <translation>внизу слева</translation>
    </message>
    <message>
        <source>lower middle</source>
        <translation>внизу по центру</translation>
    </message>
    <message>
        <source>lower right</source>
        <translation>внизу справа</translation>
    </message>
    <message>
        <source>Column %1, row %2 from the top: %3</source>
        <translation>Столбец %1, ряд %2 сверху: %3</translation>
    </message>
</context>
<context>
    <name>ErrorScreen</name>
    <message>
        <source>Try again</source>
        <translation>Попробовать снова</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Готово</translation>
    </message>
    <message>
        <source>This QR code is not a pickup code</source>
        <translation>Этот QR-код не является кодом получения</translation>
    </message>
    <message>
        <source>Scan the QR code from your “parcel is ready” message, or type the 8-digit code.</source>
        <translation>Отсканируйте QR-код из сообщения «Посылка ждёт вас» или введите 8-значный код.</translation>
    </message>
    <message>
        <source>That is not a pickup code</source>
        <translation>Это не код получения</translation>
    </message>
    <message>
        <source>A pickup code has 8 digits. You find it in your parcel message.</source>
        <translation>Код получения состоит из 8 цифр. Он указан в сообщении о посылке.</translation>
    </message>
    <message>
        <source>Your parcel has not arrived yet</source>
        <translation>Ваша посылка ещё не прибыла</translation>
    </message>
    <message>
        <source>We will send you a message as soon as it is in the locker.</source>
        <translation>Мы пришлём сообщение, как только она окажется в постамате.</translation>
    </message>
    <message>
        <source>d MMMM yyyy</source>
        <comment>date format of the expiry date</comment>
        <translation>d MMMM yyyy</translation>
    </message>
    <message>
        <source>The pickup time ended on %1. The parcel goes back to the sender.</source>
        <translation>Срок хранения истёк %1. Посылка будет возвращена отправителю.</translation>
    </message>
    <message>
        <source>The pickup time has ended. The parcel goes back to the sender.</source>
        <translation>Срок хранения истёк. Посылка будет возвращена отправителю.</translation>
    </message>
    <message>
        <source>This code has expired</source>
        <translation>Срок действия кода истёк</translation>
    </message>
    <message>
        <source>This parcel was already picked up</source>
        <translation>Эту посылку уже получили</translation>
    </message>
    <message>
        <source>If it was not you, please contact support.</source>
        <translation>Если это были не вы, обратитесь в службу поддержки.</translation>
    </message>
    <message>
        <source>This delivery was cancelled</source>
        <translation>Эта доставка отменена</translation>
    </message>
    <message>
        <source>The parcel is not in this locker. Please contact the sender.</source>
        <translation>Посылки нет в этом постамате. Пожалуйста, свяжитесь с отправителем.</translation>
    </message>
    <message>
        <source>Your parcel is in another locker</source>
        <translation>Ваша посылка в другом постамате</translation>
    </message>
    <message>
        <source>Please go to the locker %1 to pick it up.</source>
        <translation>Заберите её в постамате %1.</translation>
    </message>
    <message>
        <source>Door %1 did not open</source>
        <translation>Ячейка %1 не открылась</translation>
    </message>
    <message>
        <source>Please try once more.</source>
        <translation>Пожалуйста, попробуйте ещё раз.</translation>
    </message>
    <message>
        <source>Try the door again</source>
        <translation>Открыть ещё раз</translation>
    </message>
    <message>
        <source>We have reported the fault. Your parcel is safe.</source>
        <translation>Мы сообщили о неисправности. Ваша посылка в сохранности.</translation>
    </message>
    <message>
        <source>Open my next door</source>
        <translation>Открыть следующую ячейку</translation>
    </message>
    <message>
        <source>Too many wrong codes</source>
        <translation>Слишком много неверных кодов</translation>
    </message>
    <message>
        <source>We could not find this code</source>
        <translation>Мы не нашли такой код</translation>
    </message>
    <message>
        <source>Check the 8 digits in your parcel message and try again.</source>
        <translation>Проверьте 8 цифр в сообщении о посылке и попробуйте снова.</translation>
    </message>
    <message>
        <source>For your security, code entry is paused after several wrong codes. You can try again in %1. If you cannot find your code, call support.</source>
        <translation>Для вашей безопасности ввод кода приостановлен после нескольких неверных кодов. Попробуйте снова через %1. Если не можете найти код, позвоните в поддержку.</translation>
    </message>
    <message numerus="yes">
        <source>%n more wrong code(s) before a short pause.</source>
        <translation>
            <numerusform>Ещё %n неверный код — и ввод ненадолго приостановится.</numerusform>
            <numerusform>Ещё %n неверных кода — и ввод ненадолго приостановится.</numerusform>
            <numerusform>Ещё %n неверных кодов — и ввод ненадолго приостановится.</numerusform>
        </translation>
    </message>
    <message>
        <source>Thank you: we were told door %1 did not open</source>
        <translation>Спасибо: мы получили сообщение, что дверца %1 не открылась</translation>
    </message>
    <message>
        <source>Your parcel stays in the locker. Support will contact you to arrange a new pickup. Your reference: %1</source>
        <translation>Посылка остаётся в постамате. Поддержка свяжется с вами, чтобы договориться о новом получении. Номер обращения: %1</translation>
    </message>
    <message>
        <source>Thank you: we were told your parcel is not in door %1</source>
        <translation>Спасибо: мы получили сообщение, что посылки нет в ячейке %1</translation>
    </message>
    <message>
        <source>Please close the door. Support will look into it and contact you. Your reference: %1</source>
        <translation>Закройте дверцу. Поддержка разберётся и свяжется с вами. Номер обращения: %1</translation>
    </message>
    <message>
        <source>Thank you: we were told your parcel is damaged</source>
        <translation>Спасибо: мы получили сообщение, что посылка повреждена</translation>
    </message>
    <message>
        <source>Take the parcel if you want it, or leave it inside, and close the door. Support will contact you about a claim. Your reference: %1</source>
        <translation>Заберите посылку, если хотите, или оставьте её внутри и закройте дверцу. Поддержка свяжется с вами по поводу претензии. Номер обращения: %1</translation>
    </message>
    <message>
        <source>Need help? %1</source>
        <translation>Нужна помощь? %1</translation>
    </message>
</context>
<context>
    <name>IdleScreen</name>
    <message>
        <source>Parcel pickup</source>
        <translation>Получение посылок</translation>
    </message>
    <message>
        <source>Your parcel is waiting in one of these lockers.</source>
        <translation>Ваша посылка ждёт вас в одной из этих ячеек.</translation>
    </message>
    <message>
        <source>Scan your QR code here</source>
        <translation>Сканируйте QR-код здесь</translation>
    </message>
    <message>
        <source>Show camera</source>
        <translation>Показать камеру</translation>
    </message>
    <message>
        <source>Type your code</source>
        <translation>Ввести код</translation>
    </message>
    <message>
        <source>Courier / service</source>
        <translation>Курьер / сервис</translation>
    </message>
    <message>
        <source>A+ Larger</source>
        <translation>A+ Крупнее</translation>
    </message>
    <message>
        <source>Speak to me</source>
        <translation>Озвучивать</translation>
    </message>
    <message>
        <source>Accessibility mode: larger text and spoken guidance</source>
        <translation>Режим доступности: крупный текст и голосовые подсказки</translation>
    </message>
    <message>
        <source>The camera is here</source>
        <translation>Камера находится здесь</translation>
    </message>
</context>
<context>
    <name>Keypad</name>
    <message>
        <source>Clear</source>
        <translation>Стереть</translation>
    </message>
    <message>
        <source>Delete last digit</source>
        <translation>Удалить последнюю цифру</translation>
    </message>
</context>
<context>
    <name>LabelEntry</name>
    <message>
        <source>Type the label</source>
        <translation>Ввести этикетку</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Стереть</translation>
    </message>
    <message>
        <source>Delete last character</source>
        <translation>Удалить последний символ</translation>
    </message>
    <message>
        <source>Label typed so far</source>
        <translation>Введённая этикетка</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Help: %1</source>
        <translation>Помощь: %1</translation>
    </message>
</context>
<context>
    <name>OfflineBadge</name>
    <message>
        <source>Offline: pickup still works</source>
        <translation>Нет связи: выдача работает</translation>
    </message>
</context>
<context>
    <name>OutOfServiceScreen</name>
    <message>
        <source>Out of service</source>
        <translation>Не работает</translation>
    </message>
    <message>
        <source>This locker cannot open doors right now. Our team has been told and will fix it. Your parcel is safe; please come back later.</source>
        <translation>Постамат сейчас не может открывать ячейки. Мы уже знаем о проблеме и устраним её. Ваша посылка в сохранности, пожалуйста, приходите позже.</translation>
    </message>
    <message>
        <source>Need help? %1</source>
        <translation>Нужна помощь? %1</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <source>Hold your QR code up to the camera</source>
        <translation>Поднесите QR-код к камере</translation>
    </message>
    <message>
        <source>Turn up your phone&apos;s brightness. The door opens as soon as the code is read.</source>
        <translation>Увеличьте яркость экрана телефона. Ячейка откроется, как только код будет считан.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Type the code instead</source>
        <translation>Ввести код вручную</translation>
    </message>
</context>
<context>
    <name>StaffLoginScreen</name>
    <message>
        <source>That did not work. Check the ID and PIN.</source>
        <translation>Не получилось. Проверьте номер и ПИН-код.</translation>
    </message>
    <message>
        <source>ID</source>
        <translation>Номер</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>ПИН</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Назад</translation>
    </message>
    <message>
        <source>Log in</source>
        <translation>Войти</translation>
    </message>
</context>
<context>
    <name>StaffLoginTexts</name>
    <message numerus="yes">
        <source>That did not work. %n attempt(s) left.</source>
        <translation>
            <numerusform>Не получилось. Осталась %n попытка.</numerusform>
            <numerusform>Не получилось. Осталось %n попытки.</numerusform>
            <numerusform>Не получилось. Осталось %n попыток.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Too many failed attempts. Try again in %n minute(s).</source>
        <translation>
            <numerusform>Слишком много неудачных попыток. Повторите через %n минуту.</numerusform>
            <numerusform>Слишком много неудачных попыток. Повторите через %n минуты.</numerusform>
            <numerusform>Слишком много неудачных попыток. Повторите через %n минут.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>StaffOutOfServiceScreen</name>
    <message>
        <source>This locker is not set up yet</source>
        <translation>Постамат ещё не настроен</translation>
    </message>
    <message>
        <source>It has no data from the central service yet, so no login can be checked. Check the network; try again in a few minutes.</source>
        <translation>Данные от центрального сервиса ещё не получены, поэтому вход проверить нельзя. Проверьте сеть и повторите через несколько минут.</translation>
    </message>
    <message>
        <source>The lock board does not answer</source>
        <translation>Плата замков не отвечает</translation>
    </message>
    <message>
        <source>No door can be opened. Check the board&apos;s power and the RS-485 cable; the screen comes back by itself.</source>
        <translation>Открыть ячейки нельзя. Проверьте питание платы и кабель RS-485; экран вернётся сам.</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
</context>
<context>
    <name>TechnicianDoorsScreen</name>
    <message>
        <source>opened</source>
        <translation>открыта</translation>
    </message>
    <message>
        <source>was already open</source>
        <translation>уже была открыта</translation>
    </message>
    <message>
        <source>did not open</source>
        <translation>не открылась</translation>
    </message>
    <message>
        <source>board did not answer</source>
        <translation>плата не ответила</translation>
    </message>
    <message>
        <source>waiting</source>
        <translation>ожидание</translation>
    </message>
    <message numerus="yes">
        <source>Open all %n door(s)?</source>
        <translation>
            <numerusform>Открыть %n ячейку?</numerusform>
            <numerusform>Открыть все %n ячейки?</numerusform>
            <numerusform>Открыть все %n ячеек?</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Open the %n door(s) of this column?</source>
        <translation>
            <numerusform>Открыть %n ячейку этого столбца?</numerusform>
            <numerusform>Открыть %n ячейки этого столбца?</numerusform>
            <numerusform>Открыть %n ячеек этого столбца?</numerusform>
        </translation>
    </message>
    <message>
        <source>Open door %1?</source>
        <translation>Открыть ячейку %1?</translation>
    </message>
    <message>
        <source>Doors open one after another: %1. Every opening is recorded with your ID.</source>
        <translation>Ячейки откроются по очереди: %1. Каждое открытие записывается с вашим номером.</translation>
    </message>
    <message>
        <source>%1 holds a customer&apos;s parcel: its record stays “in the locker”, so leave it inside or the customer&apos;s code will open an empty door.</source>
        <translation>В %1 лежит посылка клиента: по записям она остаётся «в постамате», поэтому оставьте её внутри, иначе код клиента откроет пустую ячейку.</translation>
    </message>
    <message>
        <source>%1 holds a parcel for a courier to collect: its record does not change either.</source>
        <translation>В %1 лежит посылка, которую должен забрать курьер: её запись тоже не меняется.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Отмена</translation>
    </message>
    <message>
        <source>Yes, open</source>
        <translation>Да, открыть</translation>
    </message>
    <message>
        <source>Opening doors…</source>
        <translation>Открываем ячейки…</translation>
    </message>
    <message>
        <source>%1 of %2 done.</source>
        <translation>Готово %1 из %2.</translation>
    </message>
    <message>
        <source>Doors handled</source>
        <translation>Ячейки обработаны</translation>
    </message>
    <message numerus="yes">
        <source>%n door(s) did not open.</source>
        <translation>
            <numerusform>%n ячейка не открылась.</numerusform>
            <numerusform>%n ячейки не открылись.</numerusform>
            <numerusform>%n ячеек не открылись.</numerusform>
        </translation>
    </message>
    <message>
        <source>Every door opened.</source>
        <translation>Все ячейки открылись.</translation>
    </message>
    <message>
        <source>Back to the map</source>
        <translation>К схеме</translation>
    </message>
    <message>
        <source>Door</source>
        <translation>Ячейка</translation>
    </message>
    <message>
        <source>Result</source>
        <translation>Результат</translation>
    </message>
</context>
<context>
    <name>TechnicianInfoScreen</name>
    <message>
        <source>Back to the map</source>
        <translation>К схеме</translation>
    </message>
    <message>
        <source>Bus scan</source>
        <translation>Опрос шины</translation>
    </message>
    <message>
        <source>Waiting for door %1 to close: the scan starts by itself when every door is shut.</source>
        <translation>Ждём, пока закроется дверца %1: опрос начнётся сам, когда все дверцы будут закрыты.</translation>
    </message>
    <message>
        <source>%1 of %2 addresses answered. Serial port: %3.</source>
        <translation>Ответили %1 адресов из %2. Последовательный порт: %3.</translation>
    </message>
    <message>
        <source>connected</source>
        <translation>подключён</translation>
    </message>
    <message>
        <source>not connected</source>
        <translation>не подключён</translation>
    </message>
    <message>
        <source>Board</source>
        <translation>Плата</translation>
    </message>
    <message>
        <source>Answer</source>
        <translation>Ответ</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Задержка</translation>
    </message>
    <message>
        <source>Locks</source>
        <translation>Замки</translation>
    </message>
    <message>
        <source>Errors</source>
        <translation>Ошибки</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>да</translation>
    </message>
    <message>
        <source>no</source>
        <translation>нет</translation>
    </message>
    <message>
        <source>Scan again</source>
        <translation>Опросить снова</translation>
    </message>
    <message>
        <source>Frame log</source>
        <translation>Журнал кадров</translation>
    </message>
    <message numerus="yes">
        <source>The last %n frame(s), newest first.</source>
        <translation>
            <numerusform>Последний %n кадр, новые сверху.</numerusform>
            <numerusform>Последние %n кадра, новые сверху.</numerusform>
            <numerusform>Последние %n кадров, новые сверху.</numerusform>
        </translation>
    </message>
    <message>
        <source>Time</source>
        <translation>Время</translation>
    </message>
    <message>
        <source>Dir.</source>
        <translation>Напр.</translation>
    </message>
    <message>
        <source>Bytes (hex)</source>
        <translation>Байты (hex)</translation>
    </message>
    <message>
        <source>Note</source>
        <translation>Примечание</translation>
    </message>
    <message>
        <source>sent</source>
        <translation>отправлен</translation>
    </message>
    <message>
        <source>received</source>
        <translation>получен</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Обновить</translation>
    </message>
    <message>
        <source>Sync status</source>
        <translation>Состояние синхронизации</translation>
    </message>
    <message>
        <source>No sync status yet.</source>
        <translation>Данных о синхронизации пока нет.</translation>
    </message>
    <message>
        <source>online</source>
        <translation>на связи</translation>
    </message>
    <message>
        <source>offline</source>
        <translation>нет связи</translation>
    </message>
    <message>
        <source>Central service: %1. Sync requested.</source>
        <translation>Центральный сервис: %1. Синхронизация запрошена.</translation>
    </message>
    <message>
        <source>Central service: %1.</source>
        <translation>Центральный сервис: %1.</translation>
    </message>
    <message>
        <source>Last success</source>
        <translation>Последний успех</translation>
    </message>
    <message>
        <source>Last error</source>
        <translation>Последняя ошибка</translation>
    </message>
    <message>
        <source>Last error at</source>
        <translation>Время последней ошибки</translation>
    </message>
    <message>
        <source>Offline since</source>
        <translation>Нет связи с</translation>
    </message>
    <message>
        <source>Events waiting to be sent</source>
        <translation>Событий ждут отправки</translation>
    </message>
    <message>
        <source>Events refused by central</source>
        <translation>Событий отклонено сервисом</translation>
    </message>
    <message>
        <source>Clock difference</source>
        <translation>Расхождение часов</translation>
    </message>
    <message>
        <source>Last heartbeat</source>
        <translation>Последний сигнал</translation>
    </message>
    <message>
        <source>Software version</source>
        <translation>Версия ПО</translation>
    </message>
    <message>
        <source>What</source>
        <translation>Параметр</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Значение</translation>
    </message>
    <message>
        <source>Sync now</source>
        <translation>Синхронизировать</translation>
    </message>
    <message>
        <source>Export finished</source>
        <translation>Выгрузка завершена</translation>
    </message>
    <message>
        <source>Logs and the audit trail are in %1.</source>
        <translation>Журналы и журнал аудита сохранены в %1.</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Выгрузка не удалась</translation>
    </message>
    <message>
        <source>%1. Check that the USB stick is plugged in and not full, then try again.</source>
        <translation>%1. Проверьте, что USB-накопитель вставлен и не заполнен, и повторите.</translation>
    </message>
</context>
<context>
    <name>TechnicianLoginScreen</name>
    <message>
        <source>Service and diagnostics</source>
        <translation>Обслуживание и диагностика</translation>
    </message>
    <message>
        <source>Choose your ID, then type your PIN.</source>
        <translation>Выберите свой номер и введите ПИН-код.</translation>
    </message>
    <message>
        <source>Type your technician ID and PIN.</source>
        <translation>Введите номер техника и ПИН-код.</translation>
    </message>
</context>
<context>
    <name>TechnicianMapScreen</name>
    <message>
        <source>open</source>
        <translation>открыта</translation>
    </message>
    <message>
        <source>closed</source>
        <translation>закрыта</translation>
    </message>
    <message>
        <source>not read</source>
        <translation>не читается</translation>
    </message>
    <message>
        <source>free</source>
        <translation>свободна</translation>
    </message>
    <message>
        <source>occupied</source>
        <translation>занята</translation>
    </message>
    <message>
        <source>reserved</source>
        <translation>резерв</translation>
    </message>
    <message>
        <source>out of service</source>
        <translation>не работает</translation>
    </message>
    <message>
        <source>fault</source>
        <translation>неисправна</translation>
    </message>
    <message>
        <source>sensor: full</source>
        <translation>датчик: есть предмет</translation>
    </message>
    <message>
        <source>sensor: empty</source>
        <translation>датчик: пусто</translation>
    </message>
    <message numerus="yes">
        <source>Diagnostics: %n compartment(s)</source>
        <translation>
            <numerusform>Диагностика: %n ячейка</numerusform>
            <numerusform>Диагностика: %n ячейки</numerusform>
            <numerusform>Диагностика: %n ячеек</numerusform>
        </translation>
    </message>
    <message>
        <source>Tap a compartment to select it.</source>
        <translation>Коснитесь ячейки, чтобы выбрать её.</translation>
    </message>
    <message>
        <source>%1, size %2: door %3, %4.</source>
        <translation>%1, размер %2: дверца %3, %4.</translation>
    </message>
    <message>
        <source>Open this door</source>
        <translation>Открыть ячейку</translation>
    </message>
    <message>
        <source>Open its column</source>
        <translation>Открыть столбец</translation>
    </message>
    <message>
        <source>Open all doors</source>
        <translation>Открыть все</translation>
    </message>
    <message>
        <source>Back in service</source>
        <translation>Вернуть в работу</translation>
    </message>
    <message>
        <source>Out of service</source>
        <translation>Вывести из работы</translation>
    </message>
    <message>
        <source>Bus scan</source>
        <translation>Опрос шины</translation>
    </message>
    <message>
        <source>Frame log</source>
        <translation>Журнал кадров</translation>
    </message>
    <message>
        <source>Camera</source>
        <translation>Камера</translation>
    </message>
    <message>
        <source>Sync</source>
        <translation>Синхронизация</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Выгрузка</translation>
    </message>
    <message>
        <source>Log out</source>
        <translation>Выйти</translation>
    </message>
</context>
</TS>
